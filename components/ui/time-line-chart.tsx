"use client";
import { useMemo, type ReactNode } from "react";
import { CartesianGrid, Legend, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis } from "recharts";
import { useDragRange } from "@/components/ui/use-drag-range";
import { useDisplayZone } from "@/components/ui/display-zone";
import { CHART_MARGIN, LEGEND_PROPS, timeAxisProps, tooltipProps } from "@/components/ui/chart-axes";

const pickNothing = () => {};

/**
 * A line chart over time: the grid, the time axis in the display zone, the tooltip (values through
 * `formatValue`) and the legend, with the chart's own value axes and lines as children. With `onRange`, click-drag across it picks a fixed range (shaded against `dragAxisId`).
 */
export function TimeLineChart<P extends { t: number }>({
  points,
  formatValue,
  tickCount,
  minTickGap,
  onRange,
  dragAxisId,
  children,
}: {
  points: P[];
  /** The tooltip's text for a value of the named series. */
  formatValue: (value: number, series: string) => string;
  tickCount?: number;
  minTickGap?: number;
  onRange?: (from: number, to: number) => void;
  dragAxisId?: string;
  children: ReactNode;
}) {
  const zone = useDisplayZone();
  const times = useMemo(() => points.map((p) => p.t), [points]);
  const dragRange = useDragRange(times, onRange ?? pickNothing);
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={points} margin={CHART_MARGIN} {...(onRange ? dragRange.handlers : {})}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
        <XAxis {...timeAxisProps(times, zone, tickCount, minTickGap)} />
        {children}
        <Tooltip {...tooltipProps(zone, formatValue)} />
        <Legend {...LEGEND_PROPS} />
        {dragRange.area && (
          <ReferenceArea yAxisId={dragAxisId} x1={dragRange.area.x1} x2={dragRange.area.x2} fill="var(--accent)" fillOpacity={0.15} />
        )}
      </LineChart>
    </ResponsiveContainer>
  );
}
