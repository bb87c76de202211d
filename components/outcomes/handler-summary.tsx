"use client";
import { PanelPng } from "@/components/ui/panel-png";
import Link from "@/components/ui/range-link";
import { links } from "@/lib/links";
import { memo } from "react";
import { ResortNote } from "@/components/ui/resort-note";
import { StatusPill } from "@/components/ui/status-pill";
import { useHeldOrder } from "@/components/ui/use-held-order";
import { formatAge, formatCount, formatRate, formatUtcTime } from "@/lib/format";
import { sortHandlersWorstFirst } from "@/lib/outcomes/summary-view";
import { SEVERITIES, type HandlerSummary, type SeverityCounts } from "@/lib/outcomes/outcome";
import { formatLatency, formatQuantiles } from "@/lib/outcomes/latency";
import { describeSilence, formatUsualRate } from "@/lib/outcomes/silence";
import { useDisplayZone } from "@/components/ui/display-zone";
import styles from "./outcomes.module.css";
import { EmptyRow } from "@/components/ui/empty-row";

const SEV_CLASS = { info: styles.sevInfo, warn: styles.sevWarn, high: styles.sevHigh, critical: styles.sevCritical };

const handlerKey = (h: HandlerSummary) => h.handler_id;

const pct = (r: number | null) => (r === null ? "—" : `${(r * 100).toFixed(r > 0 && r < 0.1 ? 1 : 0)}%`);

function SeverityMix({ counts }: { counts: SeverityCounts }) {
  const total = SEVERITIES.reduce((n, s) => n + counts[s], 0);
  const label = SEVERITIES.map((s) => `${s} ${formatCount(counts[s])}`).join(" · ");
  return (
    <div title={label}>
      <div className={styles.mix} role="img" aria-label={label}>
        {total > 0 &&
          SEVERITIES.map(
            (s) => counts[s] > 0 && <span key={s} className={SEV_CLASS[s]} style={{ width: `${(counts[s] / total) * 100}%` }} />,
          )}
      </div>
      <span className={styles.mixLabel}>{total === 0 ? "—" : `${pct((counts.high + counts.critical) / total)} high+crit`}</span>
    </div>
  );
}

/** A step outline through per-bucket values, closed along the bottom (SVG path data). */
function stepArea(values: number[], base: number[], w: number, h: number, max: number): string {
  const step = w / values.length;
  const y = (v: number) => (h - 1 - (v / max) * (h - 2)).toFixed(1);
  const top = values.map((v, i) => `L${(i * step).toFixed(1)},${y(v)}H${((i + 1) * step).toFixed(1)}`).join("");
  const bottom = base
    .map(
      (v, i) => `L${((base.length - i) * step).toFixed(1)},${y(base[base.length - 1 - i]!)}H${((base.length - 1 - i) * step).toFixed(1)}`,
    )
    .join("");
  return `M0,${y(base[0] ?? 0)}${top}${bottom}Z`;
}

/**
 * 15 one-minute buckets: all outcomes (light grey) with the errored part (dark red, so it still reads darker in grayscale) on
 * top. Plain SVG, not a chart library: a row per handler re-renders with every summary update.
 */
function Sparkline({ h }: { h: HandlerSummary }) {
  const W = 120;
  const H = 30;
  const totals = h.sparkline.map((b) => b.total);
  const ok = h.sparkline.map((b) => b.total - b.errored);
  const zero = totals.map(() => 0);
  const max = Math.max(1, ...totals);
  const errored = h.sparkline.reduce((n, b) => n + b.errored, 0);
  return (
    <svg
      width={W}
      height={H}
      role="img"
      aria-label={`${h.handler_id}: last 15 minutes, ${formatCount(errored)} errored`}
      className={styles.spark}
    >
      {totals.length > 0 && <path d={stepArea(ok, zero, W, H, max)} className={styles.sparkOk} />}
      {errored > 0 && <path d={stepArea(totals, ok, W, H, max)} className={styles.sparkErrored} />}
    </svg>
  );
}

/** The feed's handler filter, one click from the row: a funnel, pressed while the feed shows this handler only. */
function FilterButton({ on, onClick }: { on: boolean; onClick: () => void }) {
  const label = on ? "Show every handler in the feed" : "Filter the feed to this handler";
  return (
    <button type="button" className={styles.handlerFilter} aria-pressed={on} aria-label={label} title={label} onClick={onClick}>
      <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
        <path d="M0.5 1h9L6 5v4L4 8V5z" fill={on ? "currentColor" : "none"} stroke="currentColor" strokeLinejoin="round" />
      </svg>
    </button>
  );
}

export const HandlerSummaryTable = memo(function HandlerSummaryTable({
  handlers,
  now,
  selected,
  onSelect,
  scope,
}: {
  handlers: HandlerSummary[];
  now: number;
  /** What the totals cover: "in this range" or "live since …". */
  scope: string;
  selected?: string;
  onSelect: (handler: string | undefined) => void;
}) {
  // Rows stay put while the pointer or keyboard focus is on the table; values still update.
  const order = useHeldOrder(sortHandlersWorstFirst(handlers), handlerKey, "worst-first");
  const rows = order.rows;
  const zone = useDisplayZone();
  return (
    <section className="panel" data-testid="handler-summary" {...order.zoneProps}>
      <div className={styles.sectionHead}>
        <h2>Handlers</h2>
        <span className="hint">
          {scope} · worst first · errored ratio over its last 15 min · latency over the whole{" "}
          {scope === "in this range" ? "range" : "window"}
        </span>
        <PanelPng panel="Handlers" selector="[data-testid=handler-summary]" testId="png-handlers" />
      </div>
      <ResortNote held={order.held} moved={order.moved} onApply={order.applyNow} testId="handlers-resort" />
      <table className={`data ${styles.summary}`}>
        <colgroup>
          <col />
          <col style={{ width: 56 }} />
          <col style={{ width: 74 }} />
          <col style={{ width: 120 }} />
          <col style={{ width: 72 }} />
          <col style={{ width: 100 }} />
          <col style={{ width: 132 }} />
        </colgroup>
        <thead>
          <tr>
            <th>Handler</th>
            <th className="num">Rate</th>
            <th className="num">Errored</th>
            <th className="num" title="p50 / p95 / p99 of duration_ms">
              p50/p95/p99
            </th>
            <th>Last err</th>
            <th>Severity</th>
            <th>Last 15 min</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((h) => (
            <tr
              key={h.handler_id}
              data-testid={`handler-row-${h.handler_id}`}
              style={selected === h.handler_id ? { background: "var(--info-bg)" } : undefined}
            >
              <td>
                <Link
                  href={links.handler(h.handler_id)}
                  prefetch={false}
                  className={styles.handlerLink}
                  title="Open this handler's page (same range)"
                  data-testid="handler-link"
                >
                  {h.handler_id}
                </Link>
                {/* Beside the name, not before the counts: there it pushed "malformed" out of the cell. */}
                {h.flagged && (
                  <>
                    {" "}
                    <StatusPill
                      tone="bad"
                      label="errors ↑"
                      title={`errored ${pct(h.recent_errored_ratio)} in the last 5 min vs ${pct(h.baseline_errored_ratio)} before`}
                      testId="handler-flag"
                    />
                  </>
                )}
                {h.latency_jump && (
                  <>
                    {" "}
                    <StatusPill
                      tone="warn"
                      label="p95 ↑"
                      title={`p95 ${formatLatency(h.latency_jump.recent_p95)} in the last 5 min vs ${formatLatency(h.latency_jump.baseline_p95)} in the hour before`}
                      testId="handler-latency-flag"
                    />
                  </>
                )}
                <div className={styles.handlerDetailLine}>
                  <FilterButton
                    on={selected === h.handler_id}
                    onClick={() => onSelect(selected === h.handler_id ? undefined : h.handler_id)}
                  />
                  <span className="muted" data-testid="handler-detail" title={h.silent ? describeSilence(h.silent) : undefined}>
                    {h.silent && (
                      <>
                        <StatusPill tone="warn" label="silent" testId="handler-silent-flag" />{" "}
                      </>
                    )}
                    {h.silent
                      ? `since ${formatUtcTime(h.silent.since, zone)} · usual ${formatUsualRate(h.silent.usual_interval_ms)}`
                      : `${formatCount(h.total)} total · ${formatCount(h.malformed)} malformed`}
                  </span>
                </div>
              </td>
              <td className="num">{formatRate(h.rate_per_s)}</td>
              <td className={`num ${h.errored_ratio && h.errored_ratio >= 0.1 ? styles.ratioBad : ""}`}>{pct(h.errored_ratio)}</td>
              <td
                className="num"
                data-testid="handler-latency"
                title={h.latency ? `${formatCount(h.latency.count)} durations` : "no outcome carried a duration"}
              >
                {formatQuantiles(h.latency)}
              </td>
              <td className="tabular">{formatAge(h.last_error_at, now)}</td>
              <td>
                <SeverityMix counts={h.severity} />
              </td>
              <td>
                <Sparkline h={h} />
              </td>
            </tr>
          ))}
          {rows.length === 0 && <EmptyRow columns={7}>No outcomes yet.</EmptyRow>}
        </tbody>
      </table>
    </section>
  );
});
