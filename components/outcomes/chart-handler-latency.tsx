"use client";
import { Line, YAxis } from "recharts";
import { ChartFrame } from "@/components/ui/chart-frame";
import { DASHED, LINE_STYLE, valueAxisProps } from "@/components/ui/chart-axes";
import { TimeLineChart } from "@/components/ui/time-line-chart";
import { formatLatency } from "@/lib/outcomes/latency";
import type { LatencyPoint } from "@/lib/outcomes/outcome";
import { BUCKET_MS } from "@/lib/outcomes/summary-view";

const DOT = { r: 2 } as const;

type ChartPoint = { t: number } & Partial<LatencyPoint>;

/** The chart's time axis: buckets of `bucket_ms` from `from` (a bucket start) until `to`. */
export interface LatencyAxis {
  from: number;
  to: number;
  bucket_ms: number;
}

/** The hour of one-minute buckets ending with the minute of `end`: the axis of a summary's `latency_series`. */
export function lastHourAxis(end: number): LatencyAxis {
  const last = Math.floor(end / BUCKET_MS) * BUCKET_MS;
  return { from: last - 59 * BUCKET_MS, to: last + BUCKET_MS, bucket_ms: BUCKET_MS };
}

/** Every bucket of the axis, with the figures of those that have durations: the axis spans the whole range. */
function fillAxis(points: readonly LatencyPoint[], axis: LatencyAxis): ChartPoint[] {
  const byBucket = new Map(points.map((p) => [p.t, p]));
  const out: ChartPoint[] = [];
  for (let t = axis.from; t < axis.to; t += axis.bucket_ms) out.push(byBucket.get(t) ?? { t });
  return out;
}

/** One handler's p50/p95/p99 of `duration_ms` per bucket of `axis` (buckets without durations are gaps). */
export function ChartHandlerLatency({
  handlerId,
  points,
  axis,
  note,
}: {
  handlerId: string;
  points: readonly LatencyPoint[];
  axis: LatencyAxis;
  /** Where the figures come from, e.g. "duration_ms per minute, last hour of the live window". */
  note: string;
}) {
  const filled = fillAxis(points, axis);
  const entity = { kind: "handler" as const, parts: [handlerId] };
  return (
    <ChartFrame
      title="Latency"
      note={`${handlerId} · ${note}`}
      png={{ panel: "Latency", entity, testId: "png-handler-latency" }}
      empty={points.length === 0}
      emptyText="No outcome of this handler carried a duration."
      chartProps={{
        "data-testid": "handler-latency-chart",
        "data-last-p95": points.at(-1)?.p95,
        "data-bucket-ms": axis.bucket_ms,
        "data-buckets": filled.length,
      }}
    >
      {/* Dots: a bucket with durations between empty ones is a point, not a line. */}
      <TimeLineChart points={filled} formatValue={(v) => formatLatency(v)}>
        <YAxis {...valueAxisProps((v) => formatLatency(v))} />
        <Line dataKey="p50" name="p50" stroke="var(--accent)" {...LINE_STYLE} dot={DOT} />
        <Line dataKey="p95" name="p95" stroke="var(--warn)" {...LINE_STYLE} dot={DOT} strokeDasharray={DASHED} />
        <Line dataKey="p99" name="p99" stroke="var(--bad)" {...LINE_STYLE} dot={DOT} strokeDasharray="2 2" />
      </TimeLineChart>
    </ChartFrame>
  );
}
