"use client";
import { Line, YAxis } from "recharts";
import { ChartAnnotations } from "@/components/ui/chart-annotations";
import { DASHED, LINE_STYLE, valueAxisProps } from "@/components/ui/chart-axes";
import { TimeLineChart } from "@/components/ui/time-line-chart";
import type { SeriesPoint } from "@/lib/consumers/series";
import { formatRate } from "@/lib/format";

const rate = (v: number) => formatRate(v);

/** Consume rate (ack floor advance) against the stream's ingest rate: the gap is why lag grows. */
export function ChartConsumerRates({ points }: { points: SeriesPoint[] }) {
  return (
    <TimeLineChart points={points} formatValue={rate}>
      <YAxis {...valueAxisProps(rate)} />
      <ChartAnnotations />
      <Line dataKey="ingest_per_s" name="ingest" stroke="var(--muted)" {...LINE_STYLE} strokeDasharray={DASHED} connectNulls />
      <Line dataKey="consume_per_s" name="consume" stroke="var(--ok)" {...LINE_STYLE} connectNulls />
    </TimeLineChart>
  );
}
