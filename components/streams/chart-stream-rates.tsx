"use client";
import { useMemo } from "react";
import { CartesianGrid, Legend, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useDragRange } from "@/components/ui/use-drag-range";
import { roundTicksOver } from "@/lib/time/range";
import { ChartAnnotations } from "@/components/ui/chart-annotations";
import { formatBytes, formatRate, formatUtcTime } from "@/lib/format";
import type { RatePoint } from "@/lib/streams/rate-history";
import { useDisplayZone } from "@/components/ui/display-zone";

const axisTick = { fontSize: 11, fill: "var(--muted)" };
const tooltipStyle = { background: "var(--panel)", border: "1px solid var(--border)", fontSize: 12 };

/** Ingest in messages/s (left axis) and bytes/s (right axis) from the dashboard's own sample history; click-drag picks a fixed range. */
export function ChartStreamRates({ points, onRange }: { points: RatePoint[]; onRange: (from: number, to: number) => void }) {
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
          ticks={roundTicksOver(times, 8)}
          tickFormatter={(t) => formatUtcTime(t, zone)}
          tick={axisTick}
          minTickGap={50}
        />
        <YAxis yAxisId="msgs" tickFormatter={(v) => formatRate(v)} tick={axisTick} width={56} />
        <YAxis yAxisId="bytes" orientation="right" tickFormatter={(v) => `${formatBytes(Math.round(v))}/s`} tick={axisTick} width={72} />
        <Tooltip
          labelFormatter={(t) => formatUtcTime(t as number, zone)}
          formatter={(v, name) => (name === "bytes/s" ? `${formatBytes(Math.round(Number(v)))}/s` : formatRate(Number(v), " msg/s"))}
          contentStyle={tooltipStyle}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <ChartAnnotations yAxisId="msgs" />
        <Line
          yAxisId="msgs"
          dataKey="msgs_per_s"
          name="msgs/s"
          stroke="var(--accent)"
          dot={false}
          isAnimationActive={false}
          strokeWidth={1.5}
        />
        <Line
          yAxisId="bytes"
          dataKey="bytes_per_s"
          name="bytes/s"
          stroke="var(--muted)"
          dot={false}
          isAnimationActive={false}
          strokeWidth={1.5}
          strokeDasharray="4 2"
        />
        {dragRange.area && (
          <ReferenceArea yAxisId="msgs" x1={dragRange.area.x1} x2={dragRange.area.x2} fill="var(--accent)" fillOpacity={0.15} />
        )}
      </LineChart>
    </ResponsiveContainer>
  );
}
