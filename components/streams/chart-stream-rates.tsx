"use client";
import { Line, YAxis } from "recharts";
import { ChartAnnotations } from "@/components/ui/chart-annotations";
import { DASHED, LINE_STYLE, valueAxisProps } from "@/components/ui/chart-axes";
import { TimeLineChart } from "@/components/ui/time-line-chart";
import { formatBytes, formatRate } from "@/lib/format";
import type { RatePoint } from "@/lib/streams/rate-history";

const bytesPerSecond = (v: number) => `${formatBytes(Math.round(v))}/s`;

/** Ingest in messages/s (left axis) and bytes/s (right axis) from the dashboard's own sample history; click-drag picks a fixed range. */
export function ChartStreamRates({ points, onRange }: { points: RatePoint[]; onRange: (from: number, to: number) => void }) {
  return (
    <TimeLineChart
      points={points}
      formatValue={(v, series) => (series === "bytes/s" ? bytesPerSecond(v) : formatRate(v, " msg/s"))}
      tickCount={8}
      minTickGap={50}
      onRange={onRange}
      dragAxisId="msgs"
    >
      <YAxis yAxisId="msgs" {...valueAxisProps((v) => formatRate(v))} />
      <YAxis yAxisId="bytes" orientation="right" {...valueAxisProps(bytesPerSecond)} />
      <ChartAnnotations yAxisId="msgs" />
      <Line yAxisId="msgs" dataKey="msgs_per_s" name="msgs/s" stroke="var(--accent)" {...LINE_STYLE} />
      <Line yAxisId="bytes" dataKey="bytes_per_s" name="bytes/s" stroke="var(--muted)" {...LINE_STYLE} strokeDasharray={DASHED} />
    </TimeLineChart>
  );
}
