"use client";
import { memo, useEffect, useMemo, useRef } from "react";
import { Bar, BarChart, Brush, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartAnnotations } from "@/components/ui/chart-annotations";
import { formatUtcTime } from "@/lib/format";
import { roundTimeTicks } from "@/lib/time-range";

const axisTick = { fontSize: 11, fill: "var(--muted)" };

type Bin = { t: number; failovers: number; other: number; leaders: number };

/**
 * Transitions per time bin over the window, with a brush: dragging it zooms every timeline below (the zoom
 * lands in the URL once the drag settles, so a zoomed incident window can be shared).
 */
export const ChartFailoverOverview = memo(function ChartFailoverOverview({ bins, onZoom }: { bins: Bin[]; onZoom: (from: number, to: number) => void }) {
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (pending.current && clearTimeout(pending.current)), []);
  const width = bins.length > 1 ? bins[1]!.t - bins[0]!.t : 0;
  const from = bins[0]?.t ?? 0;
  const to = (bins.at(-1)?.t ?? 0) + width;
  // A numeric time axis with the margins and round ticks of the lanes below, and the count axis drawn inside
  // the plot: the same instant sits at the same x in the overview and in every lane.
  const centred = useMemo(() => bins.map((b) => ({ ...b, mid: b.t + width / 2 })), [bins, width]);
  return (
    <ResponsiveContainer width="100%" height={120}>
      <BarChart data={centred} margin={{ top: 4, right: 12, bottom: 0, left: 12 }} barCategoryGap={1}>
        <XAxis dataKey="mid" type="number" domain={[from, to]} ticks={roundTimeTicks(from, to)} tickFormatter={(t) => formatUtcTime(t)} tick={axisTick} minTickGap={60} />
        <YAxis allowDecimals={false} tick={axisTick} width={28} mirror />
        <Tooltip
          labelFormatter={(mid) => `${formatUtcTime((mid as number) - width / 2)} – ${formatUtcTime((mid as number) + width / 2)}`}
          contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", fontSize: 12 }}
        />
        <Bar dataKey="failovers" name="failovers" stackId="a" fill="var(--bad)" isAnimationActive={false} />
        <Bar dataKey="other" name="acquire / handover / release / expiry / late renew" stackId="a" fill="var(--muted)" isAnimationActive={false} />
        <Bar dataKey="leaders" name="JetStream leader changes" stackId="a" fill="var(--info)" isAnimationActive={false} />
        <ChartAnnotations />
        <Brush
          dataKey="mid"
          height={18}
          stroke="var(--accent)"
          travellerWidth={8}
          tickFormatter={(mid) => formatUtcTime(mid - width / 2)}
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
});
