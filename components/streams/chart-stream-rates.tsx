"use client";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartAnnotations } from "@/components/ui/chart-annotations";
import { formatBytes, formatRate, formatUtcTime } from "@/lib/format";
import type { RatePoint } from "@/lib/stream-history";

const axisTick = { fontSize: 11, fill: "var(--muted)" };
const tooltipStyle = { background: "var(--panel)", border: "1px solid var(--border)", fontSize: 12 };

/** Ingest in messages/s (left axis) and bytes/s (right axis) from the dashboard's own sample history. */
export function ChartStreamRates({ points }: { points: RatePoint[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} scale="time" tickFormatter={(t) => formatUtcTime(t)} tick={axisTick} minTickGap={50} />
        <YAxis yAxisId="msgs" tickFormatter={(v) => formatRate(v)} tick={axisTick} width={56} />
        <YAxis yAxisId="bytes" orientation="right" tickFormatter={(v) => `${formatBytes(Math.round(v))}/s`} tick={axisTick} width={72} />
        <Tooltip
          labelFormatter={(t) => formatUtcTime(t as number)}
          formatter={(v, name) => (name === "bytes/s" ? `${formatBytes(Math.round(Number(v)))}/s` : formatRate(Number(v), " msg/s"))}
          contentStyle={tooltipStyle}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <ChartAnnotations yAxisId="msgs" />
        <Line yAxisId="msgs" dataKey="msgs_per_s" name="msgs/s" stroke="var(--accent)" dot={false} isAnimationActive={false} strokeWidth={1.5} />
        <Line yAxisId="bytes" dataKey="bytes_per_s" name="bytes/s" stroke="var(--muted)" dot={false} isAnimationActive={false} strokeWidth={1.5} strokeDasharray="4 2" />
      </LineChart>
    </ResponsiveContainer>
  );
}
