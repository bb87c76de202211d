"use client";
import { Line, ReferenceArea, YAxis } from "recharts";
import { ChartAnnotations } from "@/components/ui/chart-annotations";
import { DASHED, LINE_STYLE, valueAxisProps } from "@/components/ui/chart-axes";
import { TimeLineChart } from "@/components/ui/time-line-chart";
import { formatBytes, formatCount, formatRate } from "@/lib/format";
import type { ServerHistoryPoint } from "@/lib/bus/server-history";

/** What one server chart draws: its lines (first on the left axis, accent-coloured; the second dashed). */
export interface ServerChartSpec {
  /** Panel title and PNG name. */
  title: string;
  testId: string;
  lines: { key: keyof ServerHistoryPoint; name: string }[];
  format: (v: number) => string;
  /** A count: whole-number ticks only. */
  whole?: boolean;
}

const bytesPerSecond = (v: number) => `${formatBytes(Math.round(v))}/s`;
const percent = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} %`;

/** The server page's charts, in page order. */
export const SERVER_CHARTS: ServerChartSpec[] = [
  { title: "CPU", testId: "server-chart-cpu", lines: [{ key: "cpu", name: "cpu %" }], format: percent },
  { title: "Memory", testId: "server-chart-memory", lines: [{ key: "mem_bytes", name: "resident" }], format: (v) => formatBytes(v) },
  {
    title: "Connections",
    testId: "server-chart-connections",
    lines: [{ key: "connections", name: "connections" }],
    format: (v) => formatCount(v),
    whole: true,
  },
  {
    title: "Messages",
    testId: "server-chart-msgs",
    lines: [
      { key: "in_msgs_per_s", name: "in msg/s" },
      { key: "out_msgs_per_s", name: "out msg/s" },
    ],
    format: (v) => formatRate(v),
  },
  {
    title: "Bytes",
    testId: "server-chart-bytes",
    lines: [
      { key: "in_bytes_per_s", name: "in" },
      { key: "out_bytes_per_s", name: "out" },
    ],
    format: bytesPerSecond,
  },
  {
    title: "Slow consumers",
    testId: "server-chart-slow-consumers",
    lines: [{ key: "slow_consumers", name: "slow consumers (total)" }],
    format: (v) => formatCount(v),
    whole: true,
  },
  {
    title: "JetStream storage",
    testId: "server-chart-jetstream",
    lines: [
      { key: "js_storage", name: "file" },
      { key: "js_memory", name: "memory" },
    ],
    format: (v) => formatBytes(v),
  },
];

/**
 * One of a server's figures over time; a sample the server did not answer has no value, so its lines stop where
 * it was last seen, and the span it has been down since is shaded. Click-drag picks a fixed range.
 */
export function ChartServerFigure({
  spec,
  points,
  down,
  onRange,
}: {
  spec: ServerChartSpec;
  points: ServerHistoryPoint[];
  down: { from: number; to: number } | null;
  onRange: (from: number, to: number) => void;
}) {
  return (
    <TimeLineChart points={points} formatValue={(v) => spec.format(v)} tickCount={6} minTickGap={50} onRange={onRange} dragAxisId="v">
      <YAxis yAxisId="v" {...valueAxisProps(spec.format)} allowDecimals={!spec.whole} />
      <ChartAnnotations yAxisId="v" />
      {down && (
        <ReferenceArea
          yAxisId="v"
          x1={down.from}
          x2={down.to}
          fill="var(--bad)"
          fillOpacity={0.12}
          label={{ value: "down", position: "insideTopRight", fill: "var(--bad)", fontSize: 11 }}
        />
      )}
      {spec.lines.map((l, i) => (
        <Line
          key={l.key}
          yAxisId="v"
          dataKey={l.key}
          name={l.name}
          stroke={i === 0 ? "var(--accent)" : "var(--muted)"}
          {...LINE_STYLE}
          strokeDasharray={i === 0 ? undefined : DASHED}
        />
      ))}
    </TimeLineChart>
  );
}
