"use client";
import { useMemo } from "react";
import { CartesianGrid, Legend, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useDragRange } from "@/components/ui/use-drag-range";
import { roundTicksOver } from "@/lib/time/range";
import { ChartAnnotations } from "@/components/ui/chart-annotations";
import { AxisTick } from "@/components/ui/chart-axis-tick";
import type { SeriesPoint } from "@/lib/consumers/series";
import { formatCount, formatDuration, formatUtcTime } from "@/lib/format";
import { useDisplayZone } from "@/components/ui/display-zone";

/** Lag in messages (left axis, solid) and in seconds (right axis, dashed: apart in grayscale too) over the selected range; click-drag picks a fixed range. */
export function ChartConsumerLag({ points, onRange }: { points: SeriesPoint[]; onRange: (from: number, to: number) => void }) {
  const zone = useDisplayZone();
  const times = useMemo(() => points.map((p) => p.t), [points]);
  const dragRange = useDragRange(times, onRange);
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }} {...dragRange.handlers}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey="t"
          type="number"
          domain={["dataMin", "dataMax"]}
          scale="time"
          ticks={roundTicksOver(times, 6)}
          tickFormatter={(t) => formatUtcTime(t, zone)}
          tick={<AxisTick />}
          minTickGap={40}
        />
        <YAxis yAxisId="msgs" tickFormatter={(v) => formatCount(v)} tick={<AxisTick />} width="auto" allowDecimals={false} />
        <YAxis yAxisId="secs" orientation="right" tickFormatter={(v) => formatDuration(v * 1000)} tick={<AxisTick />} width="auto" />
        <Tooltip
          labelFormatter={(t) => formatUtcTime(t as number, zone)}
          formatter={(v, name) => (name === "lag (s)" ? formatDuration(Number(v) * 1000) : formatCount(Number(v)))}
          contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", fontSize: 12 }}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <ChartAnnotations yAxisId="msgs" />
        <Line
          yAxisId="msgs"
          dataKey="lag_msgs"
          name="lag (msgs)"
          stroke="var(--accent)"
          dot={false}
          isAnimationActive={false}
          strokeWidth={1.5}
        />
        <Line
          yAxisId="secs"
          dataKey="lag_seconds"
          name="lag (s)"
          stroke="var(--warn)"
          dot={false}
          isAnimationActive={false}
          strokeWidth={1.5}
          strokeDasharray="4 2"
          connectNulls
        />
        {dragRange.area && (
          <ReferenceArea yAxisId="msgs" x1={dragRange.area.x1} x2={dragRange.area.x2} fill="var(--accent)" fillOpacity={0.15} />
        )}
      </LineChart>
    </ResponsiveContainer>
  );
}
