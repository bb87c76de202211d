"use client";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartAnnotations } from "@/components/ui/chart-annotations";
import type { SeriesPoint } from "@/lib/consumer-series";
import { formatCount, formatDuration, formatUtcTime } from "@/lib/format";

const axisTick = { fontSize: 11, fill: "var(--muted)" };

/** Lag in messages (left axis, solid) and in seconds (right axis, dashed: apart in grayscale too) over the selected range. */
export function ChartConsumerLag({ points }: { points: SeriesPoint[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} scale="time" tickFormatter={(t) => formatUtcTime(t)} tick={axisTick} minTickGap={40} />
        <YAxis yAxisId="msgs" tickFormatter={(v) => formatCount(v)} tick={axisTick} width={56} allowDecimals={false} />
        <YAxis yAxisId="secs" orientation="right" tickFormatter={(v) => formatDuration(v * 1000)} tick={axisTick} width={52} />
        <Tooltip
          labelFormatter={(t) => formatUtcTime(t as number)}
          formatter={(v, name) => (name === "lag (s)" ? formatDuration(Number(v) * 1000) : formatCount(Number(v)))}
          contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", fontSize: 12 }}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <ChartAnnotations yAxisId="msgs" />
        <Line yAxisId="msgs" dataKey="lag_msgs" name="lag (msgs)" stroke="var(--accent)" dot={false} isAnimationActive={false} strokeWidth={1.5} />
        <Line yAxisId="secs" dataKey="lag_seconds" name="lag (s)" stroke="var(--warn)" dot={false} isAnimationActive={false} strokeWidth={1.5} strokeDasharray="4 2" connectNulls />
      </LineChart>
    </ResponsiveContainer>
  );
}
