"use client";
import { useLiveTopic } from "@/components/live/live-events";
import { StatusPill, type Tone } from "@/components/ui/status-pill";
import { formatCount, formatUtc } from "@/lib/format";
import type { OutcomeRecord } from "@/lib/outcomes";

const SEVERITY_TONE: Record<string, Tone> = { info: "info", warn: "warn", high: "bad", critical: "bad" };

function OutcomeRow({ r }: { r: OutcomeRecord }) {
  return (
    <tr data-testid="outcome-row">
      <td className="tabular">{formatUtc(r.received_at)}</td>
      <td>{r.handler_id}</td>
      {r.valid ? (
        <>
          <td><StatusPill tone={SEVERITY_TONE[r.body.severity] ?? "neutral"} label={r.body.severity} /></td>
          <td>{r.body.kind === "errored" ? <StatusPill tone="bad" label="errored" /> : r.body.kind}</td>
          <td className="mono">{r.body.target ?? "—"}</td>
          <td>{r.body.summary ?? r.body.diagnostic?.split("\n").at(-1) ?? ""}</td>
        </>
      ) : (
        <>
          <td><StatusPill tone="warn" label="malformed" title={r.error} /></td>
          <td>—</td>
          <td>—</td>
          <td className="mono">{r.raw.slice(0, 120)}</td>
        </>
      )}
    </tr>
  );
}

export function OutcomesView() {
  const stats = useLiveTopic("outcome_stats").data;
  const feed = useLiveTopic("outcomes").data ?? [];
  return (
    <>
      <div className="page-head">
        <h1>Reflex outcomes</h1>
        <span className="sub" data-testid="outcome-total">{formatCount(stats?.total ?? 0)} outcomes seen</span>
        {stats?.stream_available === false && <StatusPill tone="warn" label="live only: history stream missing" />}
      </div>
      <div className="grid grid-4" style={{ marginBottom: 12 }}>
        {Object.entries(stats?.handlers ?? {}).map(([id, h]) => (
          <div className="stat" key={id}>
            <div className="label">{id}</div>
            <div className="value">{formatCount(h.total)}</div>
            <div className="muted tabular">{formatCount(h.errored)} errored · {formatCount(h.malformed)} malformed</div>
          </div>
        ))}
      </div>
      <div className="table-wrap">
        <table className="data" data-testid="outcomes-table">
          <thead>
            <tr><th>Received</th><th>Handler</th><th>Severity</th><th>Kind</th><th>Target</th><th>Summary</th></tr>
          </thead>
          <tbody>
            {feed.slice(0, 100).map((r) => <OutcomeRow key={r.id} r={r} />)}
            {feed.length === 0 && <tr><td colSpan={6} className="empty">No outcomes yet.</td></tr>}
          </tbody>
        </table>
      </div>
    </>
  );
}
