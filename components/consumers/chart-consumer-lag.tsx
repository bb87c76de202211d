"use client";
import { Line, ReferenceLine, YAxis } from "recharts";
import { ChartAnnotations } from "@/components/ui/chart-annotations";
import { DASHED, LINE_STYLE, valueAxisProps } from "@/components/ui/chart-axes";
import { TimeLineChart } from "@/components/ui/time-line-chart";
import type { SeriesPoint } from "@/lib/consumers/series";
import type { LeaderChange } from "@/lib/consumers/provenance";
import { formatCount, formatDuration } from "@/lib/format";

const formatSeconds = (s: number) => formatDuration(s * 1000);

/**
 * Lag in messages (left axis, solid) and in seconds (right axis, dashed) over the selected range, a dotted line
 * where another server took the consumer's lead; click-drag picks a fixed range.
 */
export function ChartConsumerLag({
  points,
  leaderChanges = [],
  onRange,
}: {
  points: SeriesPoint[];
  leaderChanges?: readonly LeaderChange[];
  onRange: (from: number, to: number) => void;
}) {
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
      {leaderChanges.map((l) => (
        <ReferenceLine
          key={`${l.at}-${l.to}`}
          x={Date.parse(l.at)}
          yAxisId="msgs"
          stroke="var(--muted)"
          strokeDasharray="2 3"
          ifOverflow="discard"
          className="chart-leader-change"
          label={{ value: `⇄ ${l.to}`, position: "insideTopLeft", fontSize: 11, fill: "var(--muted)" }}
        />
      ))}
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
