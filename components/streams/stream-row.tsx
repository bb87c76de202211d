"use client";
import Link from "@/components/ui/range-link";
import { StatusPill } from "@/components/ui/status-pill";
import { useDisplayZone } from "@/components/ui/display-zone";
import { formatAge, formatBytes, formatCount, formatDuration, formatRate, formatUtc, formatUtcTime } from "@/lib/format";
import { links } from "@/lib/links";
import type { StreamRow } from "@/lib/streams/list";
import { fillLevels, limitConsequence } from "@/lib/streams/types";
import { FillBars } from "./fill-bars";
import { KindTag } from "@/components/ui/show-internal";
import styles from "./streams.module.css";

/** One row's fixed height: the table is virtualised. */
export const ROW_HEIGHT = 58;

const mirrorLag = (s: StreamRow["stream"]) => s.replication?.find((r) => r.kind === "mirror")?.lag ?? 0;

/** One stream of the Streams table: name with its status pills, subjects, config, state, fill and rates. */
export function StreamRowView({ row, now }: { row: StreamRow; now: number }) {
  const zone = useDisplayZone();
  const { stream: s, warning, health, own, kind } = row;
  const c = s.config;
  return (
    <tr data-testid={`stream-row-${s.name}`} style={{ height: ROW_HEIGHT }}>
      <td className={styles.nameCol}>
        <div className={styles.nameCell}>
          <Link href={links.stream(s.name)} data-testid="stream-link" title={s.name}>
            {s.name}
          </Link>
          <div className={styles.badges}>
            <KindTag kind={kind} testId="stream-kind" leading />
            {health && <StatusPill tone={own ? "info" : health.tone} label={health.label} title={health.detail} testId="replica-health" />}
            {warning && (
              <StatusPill
                tone={own ? "info" : warning.status === "full" ? (c.discard === "new" ? "bad" : "warn") : "warn"}
                label={warning.status === "full" ? `${warning.limit} full` : `${warning.limit} full in ${formatDuration(warning.eta_ms)}`}
                title={`${warning.limit} limit ${warning.status === "full" ? "reached" : "will be reached within the retention window"}: ${limitConsequence(c.discard)}`}
                testId="limit-warning"
              />
            )}
            {c.mirror && (
              <StatusPill
                tone={mirrorLag(s) > 0 ? "warn" : "info"}
                label={`mirror of ${c.mirror}${mirrorLag(s) > 0 ? ` · lag ${formatCount(mirrorLag(s))}` : ""}`}
              />
            )}
            {c.sources.length > 0 && (
              <StatusPill tone="info" label={`${c.sources.length} source${c.sources.length > 1 ? "s" : ""}`} title={c.sources.join(", ")} />
            )}
          </div>
        </div>
      </td>
      <td className={`mono ${styles.subjects}`} title={c.subjects.join(", ")}>
        {c.subjects.join(", ") || "—"}
      </td>
      <td>
        <div>
          {c.retention} · {c.storage}
        </div>
        <div className={styles.sub}>
          R{c.replicas} · discard {c.discard}
        </div>
      </td>
      <td className="num">
        <div className={styles.twoLine}>
          <span data-testid="stream-messages">{formatCount(s.state.messages)}</span>
          <span className={styles.sub}>{formatCount(s.state.num_deleted)} deleted</span>
        </div>
      </td>
      <td className="num">{formatBytes(s.state.bytes)}</td>
      <td className="num">
        <div className={styles.twoLine}>
          <span>{formatRate(s.rates?.msgs_per_s, " msg/s")}</span>
          <span className={styles.sub}>{s.rates ? `${formatBytes(Math.round(s.rates.bytes_per_s))}/s` : "—"}</span>
        </div>
      </td>
      <td>
        <FillBars levels={fillLevels(s, now)} testId="stream-fill" />
      </td>
      <td className="num">
        <div className={styles.twoLine}>
          <span>
            {formatCount(s.state.first_seq)} – {formatCount(s.state.last_seq)}
          </span>
          <span className={styles.sub} title={`first message ${formatUtc(s.state.first_ts, zone)}`}>
            first {formatUtcTime(s.state.first_ts, zone)}
          </span>
        </div>
      </td>
      <td className="tabular" title={formatUtc(s.state.last_ts, zone)}>
        <div>{formatUtcTime(s.state.last_ts, zone)}</div>
        <div className={styles.sub}>{formatAge(s.state.last_ts, now)}</div>
      </td>
      <td className="num">{formatCount(s.state.num_subjects)}</td>
      <td className="num">{formatCount(s.state.consumer_count)}</td>
    </tr>
  );
}
