"use client";
/**
 * The setup every time-series line chart shares: a UTC time axis with round ticks, value axes whose labels fit,
 * the tooltip, legend and line style. Spread onto recharts' own elements: `<XAxis {...timeAxisProps(times)} />`.
 */
import { AxisTick } from "@/components/ui/chart-axis-tick";
import { formatUtcTime, type DisplayZone } from "@/lib/format";
import { roundTicksOver } from "@/lib/time/range";

export const CHART_MARGIN = { top: 4, right: 8, bottom: 0, left: 0 };
export const TOOLTIP_STYLE = { background: "var(--panel)", border: "1px solid var(--border)", fontSize: 12 };
export const LEGEND_PROPS = { wrapperStyle: { fontSize: 12 } };
export const LINE_STYLE = { dot: false, isAnimationActive: false, strokeWidth: 1.5 } as const;
/** The second series of a two-series chart is dashed, so the two stay apart in grayscale too. */
export const DASHED = "4 2";

export function timeAxisProps(times: number[], zone: DisplayZone, tickCount = 6, minTickGap = 40) {
  return {
    dataKey: "t",
    type: "number",
    domain: ["dataMin", "dataMax"],
    scale: "time",
    ticks: roundTicksOver(times, tickCount),
    tickFormatter: (t: number) => formatUtcTime(t, zone),
    tick: <AxisTick />,
    minTickGap,
  } as const;
}

export function valueAxisProps(format: (value: number) => string) {
  return { tickFormatter: (v: number) => format(v), tick: <AxisTick />, width: "auto" } as const;
}

/** `format` gets the hovered value and the series' name, so a two-axis chart formats each in its own unit. */
export function tooltipProps(zone: DisplayZone, format: (value: number, series: string) => string) {
  return {
    labelFormatter: (t: unknown) => formatUtcTime(t as number, zone),
    formatter: (v: unknown, name: unknown) => format(Number(v), String(name)),
    contentStyle: TOOLTIP_STYLE,
  };
}
