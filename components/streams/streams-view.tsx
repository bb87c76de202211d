"use client";
import { useLiveTopic } from "@/components/live/live-events";
import { SnapshotNote } from "@/components/ui/snapshot-note";
import { formatBytes, formatCount, formatRate, formatUtc } from "@/lib/format";

export function StreamsView() {
  const snap = useLiveTopic("streams").data;
  const streams = snap?.streams ?? [];
  return (
    <>
      <div className="page-head">
        <h1>Streams</h1>
        <span className="sub" data-testid="stream-count">{formatCount(streams.length)} streams</span>
        {snap && <SnapshotNote status={snap.status} sampledAt={snap.sampled_at} durationMs={snap.duration_ms} errors={snap.errors} />}
      </div>
      <div className="table-wrap">
        <table className="data" data-testid="streams-table">
          <thead>
            <tr>
              <th>Stream</th><th>Subjects</th><th className="num">Messages</th><th className="num">Bytes</th><th className="num">Ingest</th><th className="num">Last seq</th><th>Last message</th><th className="num">Consumers</th>
            </tr>
          </thead>
          <tbody>
            {streams.map((s) => (
              <tr key={s.name} data-testid={`stream-row-${s.name}`}>
                <td>{s.name}</td>
                <td className="mono">{s.config.subjects.join(", ")}</td>
                <td className="num" data-testid="stream-messages">{formatCount(s.state.messages)}</td>
                <td className="num">{formatBytes(s.state.bytes)}</td>
                <td className="num">{formatRate(s.rates?.msgs_per_s, " msg/s")}</td>
                <td className="num">{formatCount(s.state.last_seq)}</td>
                <td className="tabular">{formatUtc(s.state.last_ts)}</td>
                <td className="num">{s.state.consumer_count}</td>
              </tr>
            ))}
            {streams.length === 0 && (
              <tr><td colSpan={8} className="empty">{snap?.status === "initializing" ? "Waiting for the first sample…" : "No streams on this server."}</td></tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
