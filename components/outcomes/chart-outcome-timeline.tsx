"use client";
import { PanelPng } from "@/components/ui/panel-png";
import type { PanelEntity } from "@/lib/review/caption";
/** Severity or kind per time bucket, stacked; click-drag across buckets to zoom the view's range (written to the URL). */
import { memo, useId, useMemo } from "react";
import { useDragRange } from "@/components/ui/use-drag-range";
import { Bar, BarChart, CartesianGrid, Legend, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartAnnotations } from "@/components/ui/chart-annotations";
import { AxisTick } from "@/components/ui/chart-axis-tick";
import { TOOLTIP_STYLE } from "@/components/ui/chart-axes";
import { formatUtc, formatUtcTime } from "@/lib/format";
import { kindsOf } from "@/lib/outcomes/summary-view";
import { roundBucketTicks } from "@/lib/time/range";
import { SEVERITIES, type OutcomeBucket } from "@/lib/outcomes/outcome";
import styles from "./outcomes.module.css";
import { useDisplayZone } from "@/components/ui/display-zone";

// critical follows the theme (globals.css --sev-critical): a dark red is lost on the dark background
const SEVERITY_COLOURS = { info: "#5b8def", warn: "#d9a200", high: "#e0603a", critical: "var(--sev-critical)" } as const;
const KIND_COLOURS: Record<string, string> = { logged: "#7a8699", errored: "#c62828" };
const EXTRA_KIND_COLOURS = ["#6a4fb3", "#00897b", "#8d6e63", "#c2185b", "#3949ab"];

export type TimelineMode = "severity" | "kind";
const HATCHED = new Set(["high", "kind:errored"]);

export const OutcomeTimelineChart = memo(function OutcomeTimelineChart({
  buckets,
  title,
  entity,
  onZoom,
  mode,
  onMode,
}: {
  buckets: OutcomeBucket[];
  title: string;
  entity?: PanelEntity;
  onZoom: (from: number, to: number) => void;
  mode: TimelineMode;
  onMode: (m: TimelineMode) => void;
}) {
  const zone = useDisplayZone();
  // Hatched series stay apart from solid ones of the same lightness in grayscale print and PNGs (high vs info;
  // errored is the one kind on-call looks for).
  const patternBase = `hatch-${useId().replace(/[^A-Za-z0-9_-]/g, "")}`;
  const width = buckets.length > 1 ? buckets[1]!.t - buckets[0]!.t : 60_000;
  const kinds = useMemo(() => kindsOf(buckets), [buckets]);
  const data = useMemo(
    () =>
      buckets.map((b) => ({
        t: b.t,
        malformed: b.malformed,
        ...b.severity,
        ...Object.fromEntries(kinds.map((k) => [`kind:${k}`, b.kinds[k] ?? 0])),
      })),
    [buckets, kinds],
  );
  const series =
    mode === "severity"
      ? SEVERITIES.map((s) => ({ key: s, name: s, colour: SEVERITY_COLOURS[s] }))
      : kinds.map((k, i) => ({ key: `kind:${k}`, name: k, colour: KIND_COLOURS[k] ?? EXTRA_KIND_COLOURS[i % EXTRA_KIND_COLOURS.length]! }));
  const times = useMemo(() => buckets.map((b) => b.t), [buckets]);
  // Round instants (12:20, 12:30 …) rather than every nth bucket, which labels 12:14, 12:25, 12:36.
  const ticks = useMemo(() => roundBucketTicks(times, 7), [times]);
  const wholeMinutes = [...ticks.values()].every((t) => t % 60_000 === 0);
  const tickLabel = (bucket: number) => {
    const instant = ticks.get(bucket) ?? bucket;
    return wholeMinutes ? formatUtcTime(instant, zone).slice(0, 5) : formatUtcTime(instant, zone);
  };
  const dragRange = useDragRange(times, onZoom, width);
  return (
    <section className={`panel ${styles.chartPanel}`} data-testid="outcome-timeline">
      <div className={styles.chartHead}>
        <h2>Timeline</h2>
        <span className="seg" role="group" aria-label="timeline breakdown">
          <button type="button" aria-pressed={mode === "severity"} onClick={() => onMode("severity")}>
            severity
          </button>
          <button type="button" aria-pressed={mode === "kind"} onClick={() => onMode("kind")}>
            kind
          </button>
        </span>
        <span className="hint">
          {title}
          <span data-no-export=""> · drag to zoom</span>
        </span>
        <PanelPng panel="Timeline" entity={entity} testId="png-outcome-timeline" />
      </div>
      <div className={styles.chartBody}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }} barCategoryGap={1} {...dragRange.handlers}>
            <defs>
              {series.map((s, i) =>
                HATCHED.has(s.key) ? (
                  <pattern
                    key={s.key}
                    id={`${patternBase}-${i}`}
                    patternUnits="userSpaceOnUse"
                    width={5}
                    height={5}
                    patternTransform="rotate(45)"
                  >
                    <rect width={5} height={5} fill={s.colour} />
                    <rect width={2} height={5} fill="#ffffff" fillOpacity={0.6} />
                  </pattern>
                ) : null,
              )}
              <pattern id={`${patternBase}-malformed`} patternUnits="userSpaceOnUse" width={4} height={4}>
                <rect width={4} height={4} fill="var(--panel)" />
                <circle cx={2} cy={2} r={1.3} fill="var(--warn)" />
              </pattern>
            </defs>
            <CartesianGrid vertical={false} stroke="var(--border)" />
            <XAxis dataKey="t" ticks={[...ticks.keys()]} interval={0} tickFormatter={tickLabel} tick={<AxisTick />} minTickGap={40} />
            <YAxis allowDecimals={false} tick={<AxisTick />} width="auto" />
            <Tooltip
              isAnimationActive={false}
              labelFormatter={(t) => `${formatUtc(Number(t), zone)} (${Math.round(width / 1000)} s bucket)`}
              contentStyle={TOOLTIP_STYLE}
            />
            <Legend iconSize={9} wrapperStyle={{ fontSize: 11 }} />
            <ChartAnnotations buckets={times} />
            {series.map((s, i) => (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.name}
                stackId="a"
                fill={HATCHED.has(s.key) ? `url(#${patternBase}-${i})` : s.colour}
                isAnimationActive={false}
              />
            ))}
            {/* dotted, not only paler: malformed must not read as warn in grayscale or to a colour-blind eye */}
            <Bar dataKey="malformed" name="malformed" stackId="a" fill={`url(#${patternBase}-malformed)`} isAnimationActive={false} />
            {dragRange.area && <ReferenceArea x1={dragRange.area.x1} x2={dragRange.area.x2} fill="var(--accent)" fillOpacity={0.15} />}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
});
