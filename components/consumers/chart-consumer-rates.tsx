"use client";
import { useMemo } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartAnnotations } from "@/components/ui/chart-annotations";
import { CHART_MARGIN, DASHED, LEGEND_PROPS, LINE_STYLE, timeAxisProps, tooltipProps, valueAxisProps } from "@/components/ui/chart-axes";
import type { SeriesPoint } from "@/lib/consumers/series";
import { formatRate } from "@/lib/format";

const rate = (v: number) => formatRate(v);

/** Consume rate (ack floor advance) against the stream's ingest rate: the gap is why lag grows. */
export function ChartConsumerRates({ points }: { points: SeriesPoint[] }) {
  const times = useMemo(() => points.map((p) => p.t), [points]);
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={points} margin={CHART_MARGIN}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
        <XAxis {...timeAxisProps(times)} />
        <YAxis {...valueAxisProps(rate)} />
        <Tooltip {...tooltipProps(rate)} />
        <Legend {...LEGEND_PROPS} />
        <ChartAnnotations />
        <Line dataKey="ingest_per_s" name="ingest" stroke="var(--muted)" {...LINE_STYLE} strokeDasharray={DASHED} connectNulls />
        <Line dataKey="consume_per_s" name="consume" stroke="var(--ok)" {...LINE_STYLE} connectNulls />
      </LineChart>
    </ResponsiveContainer>
  );
}
