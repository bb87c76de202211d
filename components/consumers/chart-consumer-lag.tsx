"use client";
import { Line, YAxis } from "recharts";
import { ChartAnnotations } from "@/components/ui/chart-annotations";
import { DASHED, LINE_STYLE, valueAxisProps } from "@/components/ui/chart-axes";
import { TimeLineChart } from "@/components/ui/time-line-chart";
import type { SeriesPoint } from "@/lib/consumers/series";
import { formatCount, formatDuration } from "@/lib/format";

const formatSeconds = (s: number) => formatDuration(s * 1000);

/** Lag in messages (left axis, solid) and in seconds (right axis, dashed) over the selected range; click-drag picks a fixed range. */
export function ChartConsumerLag({ points, onRange }: { points: SeriesPoint[]; onRange: (from: number, to: number) => void }) {
  return (
    <TimeLineChart
      points={points}
      formatValue={(v, series) => (series === "lag (s)" ? formatSeconds(v) : formatCount(v))}
      onRange={onRange}
      dragAxisId="msgs"
    >
      <YAxis yAxisId="msgs" {...valueAxisProps(formatCount)} allowDecimals={false} />
      <YAxis yAxisId="secs" orientation="right" {...valueAxisProps(formatSeconds)} />
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
    </TimeLineChart>
  );
}
