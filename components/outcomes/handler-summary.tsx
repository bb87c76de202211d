"use client";
import { Area, AreaChart, YAxis } from "recharts";
import { StatusPill } from "@/components/ui/status-pill";
import { formatAge, formatCount, formatRate } from "@/lib/format";
import { sortHandlersWorstFirst } from "@/lib/outcome-stats";
import { SEVERITIES, type HandlerSummary, type SeverityCounts } from "@/lib/outcomes";
import styles from "./outcomes.module.css";

const SEV_CLASS = { info: styles.sevInfo, warn: styles.sevWarn, high: styles.sevHigh, critical: styles.sevCritical };

const pct = (r: number | null) => (r === null ? "—" : `${(r * 100).toFixed(r > 0 && r < 0.1 ? 1 : 0)}%`);

function SeverityMix({ counts }: { counts: SeverityCounts }) {
  const total = SEVERITIES.reduce((n, s) => n + counts[s], 0);
  const label = SEVERITIES.map((s) => `${s} ${formatCount(counts[s])}`).join(" · ");
  return (
    <div title={label}>
      <div className={styles.mix} role="img" aria-label={label}>
        {total > 0 && SEVERITIES.map((s) => counts[s] > 0 && <span key={s} className={SEV_CLASS[s]} style={{ width: `${(counts[s] / total) * 100}%` }} />)}
      </div>
      <span className={styles.mixLabel}>{total === 0 ? "—" : `${pct((counts.high + counts.critical) / total)} high+crit`}</span>
    </div>
  );
}

/** 15 one-minute buckets: outcomes (grey) with the errored part on top (red). Fixed size: no layout work per row. */
function Sparkline({ h }: { h: HandlerSummary }) {
  const data = h.sparkline.map((b) => ({ t: b.t, ok: b.total - b.errored, errored: b.errored }));
  return (
    <AreaChart width={150} height={30} data={data} margin={{ top: 2, right: 0, bottom: 2, left: 0 }} aria-label={`${h.handler_id}: last 15 minutes`}>
      <YAxis hide domain={[0, "dataMax"]} />
      <Area type="step" dataKey="ok" stackId="1" stroke="var(--muted)" fill="var(--neutral-bg)" isAnimationActive={false} dot={false} />
      <Area type="step" dataKey="errored" stackId="1" stroke="var(--bad)" fill="var(--bad-bg)" isAnimationActive={false} dot={false} />
    </AreaChart>
  );
}

export function HandlerSummaryTable({ handlers, now, selected, onSelect }: { handlers: HandlerSummary[]; now: number; selected?: string; onSelect: (handler: string | undefined) => void }) {
  const rows = sortHandlersWorstFirst(handlers);
  return (
    <section className="panel" data-testid="handler-summary">
      <div className={styles.sectionHead}>
        <h2>Handlers</h2>
        <span className="hint">worst first · errored ratio over 15 min</span>
      </div>
      <table className={`data ${styles.summary}`}>
        <colgroup>
          <col />
          <col style={{ width: 62 }} />
          <col style={{ width: 70 }} />
          <col style={{ width: 96 }} />
          <col style={{ width: 120 }} />
          <col style={{ width: 166 }} />
        </colgroup>
        <thead>
          <tr><th>Handler</th><th className="num">Rate</th><th className="num">Errored</th><th>Last err</th><th>Severity</th><th>Last 15 min</th></tr>
        </thead>
        <tbody>
          {rows.map((h) => (
            <tr key={h.handler_id} data-testid={`handler-row-${h.handler_id}`} style={selected === h.handler_id ? { background: "var(--info-bg)" } : undefined}>
              <td>
                <button type="button" className={styles.handlerButton} onClick={() => onSelect(selected === h.handler_id ? undefined : h.handler_id)} title="Filter the feed to this handler">
                  {h.handler_id}
                </button>
                <span className="muted" style={{ display: "block", fontSize: 11 }}>
                  {h.flagged && <StatusPill tone="bad" label="errors ↑" title={`errored ${pct(h.recent_errored_ratio)} in the last 5 min vs ${pct(h.baseline_errored_ratio)} before`} testId="handler-flag" />}{" "}
                  {formatCount(h.total)} total · {formatCount(h.malformed)} malformed
                </span>
              </td>
              <td className="num">{formatRate(h.rate_per_s)}</td>
              <td className={`num ${h.errored_ratio && h.errored_ratio >= 0.1 ? styles.ratioBad : ""}`}>{pct(h.errored_ratio)}</td>
              <td className="tabular">{formatAge(h.last_error_at, now)}</td>
              <td><SeverityMix counts={h.severity} /></td>
              <td><Sparkline h={h} /></td>
            </tr>
          ))}
          {rows.length === 0 && <tr><td colSpan={6} className="empty">No outcomes yet.</td></tr>}
        </tbody>
      </table>
    </section>
  );
}
