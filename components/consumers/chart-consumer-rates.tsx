"use client";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartAnnotations } from "@/components/ui/chart-annotations";
import { AxisTick } from "@/components/ui/chart-axis-tick";
import type { SeriesPoint } from "@/lib/consumers/series";
import { roundTicksOver } from "@/lib/time/range";
import { formatRate, formatUtcTime } from "@/lib/format";
import { useDisplayZone } from "@/components/ui/display-zone";

/** Consume rate (ack floor advance) against the stream's ingest rate: the gap is why lag grows. */
export function ChartConsumerRates({ points }: { points: SeriesPoint[] }) {
  const zone = useDisplayZone();
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey="t"
          type="number"
          domain={["dataMin", "dataMax"]}
          scale="time"
          ticks={roundTicksOver(
            points.map((p) => p.t),
            6,
          )}
          tickFormatter={(t) => formatUtcTime(t, zone)}
          tick={<AxisTick />}
          minTickGap={40}
        />
        <YAxis tickFormatter={(v) => formatRate(v)} tick={<AxisTick />} width="auto" />
        <Tooltip
          labelFormatter={(t) => formatUtcTime(t as number, zone)}
          formatter={(v) => formatRate(Number(v))}
          contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", fontSize: 12 }}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <ChartAnnotations />
        <Line
          dataKey="ingest_per_s"
          name="ingest"
          stroke="var(--muted)"
          dot={false}
          isAnimationActive={false}
          strokeWidth={1.5}
          strokeDasharray="4 2"
          connectNulls
        />
        <Line
          dataKey="consume_per_s"
          name="consume"
          stroke="var(--ok)"
          dot={false}
          isAnimationActive={false}
          strokeWidth={1.5}
          connectNulls
        />
      </LineChart>
    </ResponsiveContainer>
  );
}
