"use client";
import Link from "@/components/ui/range-link";
import { HealthPill } from "@/components/consumers/health-pill";
import { useLiveTopic } from "@/components/live/use-live-events";
import { lagMessages } from "@/lib/consumers/types";
import { formatCount, formatDuration } from "@/lib/format";
import { links } from "@/lib/links";
import { EmptyRow } from "@/components/ui/empty-row";

/** The stream's consumers from the live consumer rows, each with its health and lag. */
export function StreamConsumersPanel({ name }: { name: string }) {
  const consumers = (useLiveTopic("consumer_rows").data?.items ?? []).filter((c) => c.stream === name);
  return (
    <div className="panel">
      <h2>Consumers</h2>
      <table className="data" data-testid="stream-consumers">
        <thead>
          <tr>
            <th>Consumer</th>
            <th>Health</th>
            <th className="num">Lag (msgs)</th>
            <th className="num">Lag (time)</th>
            <th className="num">Ack pending</th>
            <th className="num">Ack floor</th>
            <th>Filter</th>
          </tr>
        </thead>
        <tbody>
          {consumers.map((c) => (
            <tr key={c.name} data-testid={`stream-consumer-${c.name}`}>
              <td>
                <Link href={links.consumer(c.stream, c.name)}>{c.name}</Link>
              </td>
              <td>
                <HealthPill verdict={c.insight?.health} />
              </td>
              <td className="num">{formatCount(lagMessages(c))}</td>
              <td className="num">{c.insight?.lag_seconds != null ? formatDuration(c.insight.lag_seconds * 1000) : "—"}</td>
              <td className="num">{formatCount(c.num_ack_pending)}</td>
              <td className="num">{formatCount(c.ack_floor.stream_seq)}</td>
              <td className="mono">{c.config.filter_subjects.join(", ") || "—"}</td>
            </tr>
          ))}
          {consumers.length === 0 && <EmptyRow columns={7}>No consumers on this stream.</EmptyRow>}
        </tbody>
      </table>
    </div>
  );
}
