"use client";
import { useMemo } from "react";
import { CartesianGrid, Legend, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useDragRange } from "@/components/ui/use-drag-range";
import { ChartAnnotations } from "@/components/ui/chart-annotations";
import { CHART_MARGIN, DASHED, LEGEND_PROPS, LINE_STYLE, timeAxisProps, tooltipProps, valueAxisProps } from "@/components/ui/chart-axes";
import { formatBytes, formatRate } from "@/lib/format";
import type { RatePoint } from "@/lib/streams/rate-history";

const bytesPerSecond = (v: number) => `${formatBytes(Math.round(v))}/s`;

/** Ingest in messages/s (left axis) and bytes/s (right axis) from the dashboard's own sample history; click-drag picks a fixed range. */
export function ChartStreamRates({ points, onRange }: { points: RatePoint[]; onRange: (from: number, to: number) => void }) {
  const times = useMemo(() => points.map((p) => p.t), [points]);
  const dragRange = useDragRange(times, onRange);
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={points} margin={CHART_MARGIN} {...dragRange.handlers}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
        <XAxis {...timeAxisProps(times, 8)} minTickGap={50} />
        <YAxis yAxisId="msgs" {...valueAxisProps((v) => formatRate(v))} />
        <YAxis yAxisId="bytes" orientation="right" {...valueAxisProps(bytesPerSecond)} />
        <Tooltip {...tooltipProps((v, series) => (series === "bytes/s" ? bytesPerSecond(v) : formatRate(v, " msg/s")))} />
        <Legend {...LEGEND_PROPS} />
        <ChartAnnotations yAxisId="msgs" />
        <Line yAxisId="msgs" dataKey="msgs_per_s" name="msgs/s" stroke="var(--accent)" {...LINE_STYLE} />
        <Line yAxisId="bytes" dataKey="bytes_per_s" name="bytes/s" stroke="var(--muted)" {...LINE_STYLE} strokeDasharray={DASHED} />
        {dragRange.area && (
          <ReferenceArea yAxisId="msgs" x1={dragRange.area.x1} x2={dragRange.area.x2} fill="var(--accent)" fillOpacity={0.15} />
        )}
      </LineChart>
    </ResponsiveContainer>
  );
}
