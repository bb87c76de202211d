"use client";
import { useMemo } from "react";
import { CartesianGrid, Legend, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useDragRange } from "@/components/ui/use-drag-range";
import { ChartAnnotations } from "@/components/ui/chart-annotations";
import { CHART_MARGIN, DASHED, LEGEND_PROPS, LINE_STYLE, timeAxisProps, tooltipProps, valueAxisProps } from "@/components/ui/chart-axes";
import type { SeriesPoint } from "@/lib/consumers/series";
import { formatCount, formatDuration } from "@/lib/format";

const formatSeconds = (s: number) => formatDuration(s * 1000);

/** Lag in messages (left axis, solid) and in seconds (right axis, dashed) over the selected range; click-drag picks a fixed range. */
export function ChartConsumerLag({ points, onRange }: { points: SeriesPoint[]; onRange: (from: number, to: number) => void }) {
  const times = useMemo(() => points.map((p) => p.t), [points]);
  const dragRange = useDragRange(times, onRange);
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={points} margin={CHART_MARGIN} {...dragRange.handlers}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
        <XAxis {...timeAxisProps(times)} />
        <YAxis yAxisId="msgs" {...valueAxisProps(formatCount)} allowDecimals={false} />
        <YAxis yAxisId="secs" orientation="right" {...valueAxisProps(formatSeconds)} />
        <Tooltip {...tooltipProps((v, series) => (series === "lag (s)" ? formatSeconds(v) : formatCount(v)))} />
        <Legend {...LEGEND_PROPS} />
        <ChartAnnotations yAxisId="msgs" />
        <Line yAxisId="msgs" dataKey="lag_msgs" name="lag (msgs)" stroke="var(--accent)" {...LINE_STYLE} />
        <Line
          yAxisId="secs"
          dataKey="lag_seconds"
          name="lag (s)"
          stroke="var(--warn)"
          {...LINE_STYLE}
          strokeDasharray={DASHED}
          connectNulls
        />
        {dragRange.area && (
          <ReferenceArea yAxisId="msgs" x1={dragRange.area.x1} x2={dragRange.area.x2} fill="var(--accent)" fillOpacity={0.15} />
        )}
      </LineChart>
    </ResponsiveContainer>
  );
}
