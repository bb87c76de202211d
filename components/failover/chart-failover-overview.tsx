"use client";
import { useEffect, useRef } from "react";
import { Bar, BarChart, Brush, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartAnnotations } from "@/components/ui/chart-annotations";
import { formatUtcTime } from "@/lib/format";

const axisTick = { fontSize: 11, fill: "var(--muted)" };

type Bin = { t: number; failovers: number; other: number; leaders: number };

/**
 * Transitions per time bin over the window, with a brush: dragging it zooms every timeline below (the zoom
 * lands in the URL once the drag settles, so a zoomed incident window can be shared).
 */
export function ChartFailoverOverview({ bins, onZoom }: { bins: Bin[]; onZoom: (from: number, to: number) => void }) {
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (pending.current && clearTimeout(pending.current)), []);
  const width = bins.length > 1 ? bins[1]!.t - bins[0]!.t : 0;
  return (
    <ResponsiveContainer width="100%" height={120}>
      <BarChart data={bins} margin={{ top: 4, right: 12, bottom: 0, left: 12 }} barCategoryGap={1}>
        <XAxis dataKey="t" tickFormatter={(t) => formatUtcTime(t)} tick={axisTick} minTickGap={60} />
        <YAxis allowDecimals={false} tick={axisTick} width={28} />
        <Tooltip
          labelFormatter={(t) => `${formatUtcTime(t as number)} – ${formatUtcTime((t as number) + width)}`}
          contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", fontSize: 12 }}
        />
        <Bar dataKey="failovers" name="failovers" stackId="a" fill="var(--bad)" isAnimationActive={false} />
        <Bar dataKey="other" name="acquire / handover / release / expiry / late renew" stackId="a" fill="var(--muted)" isAnimationActive={false} />
        <Bar dataKey="leaders" name="JetStream leader changes" stackId="a" fill="var(--info)" isAnimationActive={false} />
        <ChartAnnotations buckets={bins.map((b) => b.t)} />
        <Brush
          dataKey="t"
          height={18}
          stroke="var(--accent)"
          travellerWidth={8}
          tickFormatter={(t) => formatUtcTime(t)}
          onChange={(r) => {
            const { startIndex, endIndex } = r as { startIndex?: number; endIndex?: number };
            if (startIndex === undefined || endIndex === undefined) return;
            if (startIndex === 0 && endIndex === bins.length - 1) return;
            if (pending.current) clearTimeout(pending.current);
            pending.current = setTimeout(() => onZoom(bins[startIndex]!.t, bins[endIndex]!.t + width), 400);
          }}
        />
      </BarChart>
    </ResponsiveContainer>
  );
}
