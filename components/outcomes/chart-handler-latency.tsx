"use client";
import { Line, YAxis } from "recharts";
import { ChartFrame } from "@/components/ui/chart-frame";
import { DASHED, LINE_STYLE, valueAxisProps } from "@/components/ui/chart-axes";
import { TimeLineChart } from "@/components/ui/time-line-chart";
import { formatLatency } from "@/lib/outcomes/latency";
import type { HandlerSummary, LatencyPoint } from "@/lib/outcomes/outcome";
import { BUCKET_MS } from "@/lib/outcomes/summary-view";

const DOT = { r: 2 } as const;

type ChartPoint = { t: number } & Partial<LatencyPoint>;

/** Every minute of the hour ending at `end`, with the figures of those that have durations: the axis spans the hour. */
function hourOfMinutes(series: readonly LatencyPoint[], end: number): ChartPoint[] {
  const byMinute = new Map(series.map((p) => [p.t, p]));
  const last = Math.floor(end / BUCKET_MS) * BUCKET_MS;
  return Array.from({ length: 60 }, (_, i) => last - (59 - i) * BUCKET_MS).map((t) => byMinute.get(t) ?? { t });
}

/** One handler's p50/p95/p99 of `duration_ms` per minute of the last hour of the summary shown (live or the range's end). */
export function ChartHandlerLatency({ handler, scope, end }: { handler: HandlerSummary; scope: string; end: number }) {
  const series = handler.latency_series;
  const points = hourOfMinutes(series, end);
  const entity = { kind: "handler" as const, parts: [handler.handler_id] };
  return (
    <ChartFrame
      title="Latency"
      note={`${handler.handler_id} · duration_ms per minute, last hour of the ${scope}`}
      png={{ panel: "Latency", entity, testId: "png-handler-latency" }}
      empty={series.length === 0}
      emptyText="No outcome of this handler carried a duration."
      chartProps={{ "data-testid": "handler-latency-chart", "data-last-p95": series.at(-1)?.p95 }}
    >
      {/* Dots: a minute with durations between empty ones is a point, not a line. */}
      <TimeLineChart points={points} formatValue={(v) => formatLatency(v)}>
        <YAxis {...valueAxisProps((v) => formatLatency(v))} />
        <Line dataKey="p50" name="p50" stroke="var(--accent)" {...LINE_STYLE} dot={DOT} />
        <Line dataKey="p95" name="p95" stroke="var(--warn)" {...LINE_STYLE} dot={DOT} strokeDasharray={DASHED} />
        <Line dataKey="p99" name="p99" stroke="var(--bad)" {...LINE_STYLE} dot={DOT} strokeDasharray="2 2" />
      </TimeLineChart>
    </ChartFrame>
  );
}
