"use client";
import { useLiveTopic } from "@/components/live/live-events";
import { SnapshotNote } from "@/components/ui/snapshot-note";
import { lagMessages } from "@/lib/consumers";
import { formatCount, formatUtc } from "@/lib/format";

export function ConsumersView() {
  const snap = useLiveTopic("consumers").data;
  const consumers = [...(snap?.consumers ?? [])].sort((a, b) => lagMessages(b) - lagMessages(a));
  return (
    <>
      <div className="page-head">
        <h1>Consumer lag</h1>
        <span className="sub">{formatCount(consumers.length)} consumers</span>
        {snap && <SnapshotNote status={snap.status} sampledAt={snap.sampled_at} durationMs={snap.duration_ms} errors={snap.errors} />}
      </div>
      <div className="table-wrap">
        <table className="data" data-testid="consumers-table">
          <thead>
            <tr>
              <th>Stream</th><th>Consumer</th><th className="num">Lag (msgs)</th><th className="num">Pending</th><th className="num">Ack pending</th><th className="num">Redelivered</th><th className="num">Ack floor</th><th>Last active</th>
            </tr>
          </thead>
          <tbody>
            {consumers.map((c) => (
              <tr key={`${c.stream}/${c.name}`} data-testid={`consumer-row-${c.name}`}>
                <td>{c.stream}</td>
                <td>{c.name}</td>
                <td className="num" data-testid="consumer-lag">{formatCount(lagMessages(c))}</td>
                <td className="num">{formatCount(c.num_pending)}</td>
                <td className="num">{formatCount(c.num_ack_pending)}</td>
                <td className="num">{formatCount(c.num_redelivered)}</td>
                <td className="num">{formatCount(c.ack_floor.stream_seq)}</td>
                <td className="tabular">{formatUtc(c.delivered.last_active)}</td>
              </tr>
            ))}
            {consumers.length === 0 && (
              <tr><td colSpan={8} className="empty">{snap?.status === "initializing" ? "Waiting for the first sample…" : "No consumers."}</td></tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
