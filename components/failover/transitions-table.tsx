"use client";
import { memo, useMemo, useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { StatusPill, type Tone } from "@/components/ui/status-pill";
import type { TimelineEntry } from "@/lib/failover/timeline";
import { formatDuration, formatUtc } from "@/lib/format";
import type { TransitionKind } from "@/lib/failover/lock-transitions";
import styles from "./failover.module.css";
import { useDisplayZone } from "@/components/ui/display-zone";

const KIND_TONE: Record<TransitionKind, Tone> = {
  acquire: "ok",
  renew: "neutral",
  late_renew: "warn",
  failover: "bad",
  handover: "info",
  release: "neutral",
  expired: "warn",
  malformed: "warn",
};
const ROW_HEIGHT = 29;

/** Every transition in the window, newest first: time (UTC), kind, from → to, and the gap in service. */
export const TransitionsTable = memo(function TransitionsTable({ entries }: { entries: TimelineEntry[] }) {
  const zone = useDisplayZone();
  const rows = useMemo(() => [...entries].reverse(), [entries]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtual.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtual.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    <div className={`table-wrap ${styles.tableScroll}`} ref={scroller} tabIndex={0} role="region" aria-label="Transitions in the window">
      <table className="data" data-testid="transitions-table">
        <thead>
          <tr>
            <th>Time (UTC)</th>
            <th>Singleton / stream</th>
            <th>Kind</th>
            <th>From → to</th>
            <th className="num">Gap</th>
            <th className="num">Revision</th>
            <th>Note</th>
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && <tr style={{ height: padTop }} />}
          {items.map((v) => {
            const e = rows[v.index]!;
            if (e.source === "jetstream") {
              const l = e.leader;
              return (
                <tr key={v.key} data-testid="transition-row" data-kind={l.kind} style={{ height: ROW_HEIGHT }}>
                  <td className="tabular">{formatUtc(l.at, zone, true)}</td>
                  <td>{l.consumer ? `${l.stream} / ${l.consumer}` : l.stream}</td>
                  <td>
                    <StatusPill tone={l.kind.endsWith("quorum_lost") ? "bad" : "info"} label={l.kind.replace(/_/g, " ")} />
                  </td>
                  <td>{l.leader ? `→ ${l.leader}` : "—"}</td>
                  <td className="num">—</td>
                  <td className="num">—</td>
                  <td className="muted">JetStream</td>
                </tr>
              );
            }
            const t = e.transition;
            return (
              <tr key={v.key} data-testid="transition-row" data-kind={t.kind} style={{ height: ROW_HEIGHT }}>
                <td className="tabular">{formatUtc(t.at, zone, true)}</td>
                <td>
                  {t.key} <span className="muted">({t.bucket})</span>
                </td>
                <td>
                  <StatusPill tone={t.split_brain ? "bad" : KIND_TONE[t.kind]} label={t.kind.replace("_", " ")} />
                </td>
                <td>
                  {t.previous_holder ?? "—"} → {t.holder ?? "—"}
                </td>
                <td className="num">{t.gap_ms !== null ? formatDuration(t.gap_ms) : "—"}</td>
                <td className="num">{t.revision}</td>
                <td className={t.split_brain || t.warning ? "warn-text" : "muted"}>
                  {t.split_brain ? "split-brain: new holder wrote within the old lease" : t.warning ? `${t.warning}: ${t.raw ?? ""}` : ""}
                </td>
              </tr>
            );
          })}
          {padBottom > 0 && <tr style={{ height: padBottom }} />}
          {rows.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                No transitions in this window.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
});
