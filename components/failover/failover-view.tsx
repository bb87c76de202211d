"use client";
import { useLiveTopic } from "@/components/live/live-events";
import { StatusPill } from "@/components/ui/status-pill";
import { formatUtc } from "@/lib/format";

export function FailoverView() {
  const locks = useLiveTopic("locks").data;
  const events = useLiveTopic("lock_events").data ?? [];
  return (
    <>
      <div className="page-head">
        <h1>Failover</h1>
        <span className="sub">buckets: {locks?.buckets.join(", ") ?? "—"}</span>
        {locks?.errors.map((e) => <span key={e.bucket} className="warn-text">{e.message}</span>)}
      </div>
      <div className="grid grid-4" style={{ marginBottom: 12 }}>
        {(locks?.locks ?? []).map((l) => (
          <div className="stat" key={`${l.bucket}/${l.key}`} data-testid={`lock-card-${l.key}`}>
            <div className="label">{l.bucket} / {l.key}</div>
            <div className="value" data-testid="lock-holder">{l.holder ?? "— released —"}</div>
            <div className="muted tabular">rev {l.revision} · {formatUtc(l.updated_at)}</div>
            {l.value && !l.value.valid && <StatusPill tone="warn" label="unreadable value" title={l.value.error} />}
          </div>
        ))}
      </div>
      <div className="table-wrap">
        <table className="data">
          <thead><tr><th>Time</th><th>Lock</th><th>Op</th><th>Holder</th><th className="num">Revision</th></tr></thead>
          <tbody>
            {events.slice(0, 50).map((e) => (
              <tr key={`${e.bucket}/${e.key}/${e.revision}`}>
                <td className="tabular">{formatUtc(e.at)}</td><td>{e.bucket}/{e.key}</td><td>{e.op}</td><td>{e.holder ?? "—"}</td><td className="num">{e.revision}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
