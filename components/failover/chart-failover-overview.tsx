"use client";
import { memo, useMemo, useState } from "react";
import { useLiveTopic } from "@/components/live/use-live-events";
import { annotationLabel } from "@/lib/review/annotations";
import { overviewBars, type OverviewBin } from "@/lib/failover/lanes";
import { formatDuration, formatUtcTime } from "@/lib/format";
import { roundTimeTicks } from "@/lib/time/range";
import { useElementWidth } from "./use-element-width";
import { useDisplayZone } from "@/components/ui/display-zone";

/** The lanes' margins, so an instant sits at the same x in the overview and in every lane. */
const MARGIN = 12;
const PLOT = 84;
const HEIGHT = PLOT + 24;

/**
 * Transitions per time bin over the window as stacked bars (one path per series). Click-drag across it to
 * zoom every timeline below; the zoom lands in the URL, so a zoomed incident window can be shared.
 */
export const ChartFailoverOverview = memo(function ChartFailoverOverview({
  bins,
  onZoom,
}: {
  bins: OverviewBin[];
  onZoom: (from: number, to: number) => void;
}) {
  const zone = useDisplayZone();
  const { ref, width: outer } = useElementWidth<HTMLDivElement>();
  const width = Math.max(0, outer - 2 * MARGIN);
  const binMs = bins.length > 1 ? bins[1]!.t - bins[0]!.t : 0;
  const from = bins[0]?.t ?? 0;
  const to = (bins.at(-1)?.t ?? 0) + binMs;
  const bars = useMemo(() => overviewBars(bins, width, PLOT), [bins, width]);
  const notes = useLiveTopic("annotations").data ?? [];
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);
  const x = (t: number) => ((t - from) / (to - from)) * width;
  const binAt = (clientX: number, el: SVGSVGElement) => {
    const px = clientX - el.getBoundingClientRect().left - MARGIN;
    return Math.min(bins.length - 1, Math.max(0, Math.floor((px / width) * bins.length)));
  };
  const zoomTo = (a: number, b: number) => onZoom(bins[Math.min(a, b)]!.t, bins[Math.max(a, b)]!.t + binMs);
  return (
    <div ref={ref} data-testid="failover-overview">
      {width > 0 && bins.length > 0 && (
        <svg
          width={outer}
          height={HEIGHT}
          role="img"
          aria-label="transitions over the window; drag to zoom"
          style={{ display: "block", cursor: "crosshair", userSelect: "none" }}
          onMouseDown={(e) => setDrag({ a: binAt(e.clientX, e.currentTarget), b: binAt(e.clientX, e.currentTarget) })}
          onMouseMove={(e) => drag && setDrag({ ...drag, b: binAt(e.clientX, e.currentTarget) })}
          onMouseUp={() => {
            if (drag && drag.a !== drag.b) zoomTo(drag.a, drag.b);
            setDrag(null);
          }}
          onMouseLeave={() => setDrag(null)}
        >
          <g transform={`translate(${MARGIN} 4)`}>
            <path d={bars.failovers} style={{ fill: "var(--bad)" }} />
            <path d={bars.other} style={{ fill: "var(--muted)" }} />
            <path d={bars.leaders} style={{ fill: "var(--info)" }} />
            <line x1={0} x2={width} y1={PLOT} y2={PLOT} style={{ stroke: "var(--border)" }} />
            <text x={2} y={10} style={{ fontSize: 11, fill: "var(--muted)" }}>
              max {bars.max} per {formatDuration(binMs)}
            </text>
            {bins.map((b, i) => (
              <rect key={b.t} x={(i * width) / bins.length} y={0} width={width / bins.length} height={PLOT} fill="transparent">
                <title>{`${formatUtcTime(b.t, zone)} – ${formatUtcTime(b.t + binMs, zone)}: ${b.failovers} failovers, ${b.other} acquire / handover / release / expiry / late renew, ${b.leaders} JetStream leader changes`}</title>
              </rect>
            ))}
            {drag && drag.a !== drag.b && (
              <rect
                data-testid="overview-selection"
                x={(Math.min(drag.a, drag.b) * width) / bins.length}
                width={((Math.abs(drag.a - drag.b) + 1) * width) / bins.length}
                y={0}
                height={PLOT}
                style={{ fill: "var(--accent)", fillOpacity: 0.2, pointerEvents: "none" }}
              />
            )}
            {notes.map((n) => {
              const t = Date.parse(n.at);
              if (t < from || t > to) return null;
              return (
                <line
                  key={n.id}
                  className="chart-annotation"
                  x1={x(t)}
                  x2={x(t)}
                  y1={0}
                  y2={PLOT}
                  style={{ stroke: "var(--accent)", strokeWidth: 1.5, strokeDasharray: "4 3", pointerEvents: "none" }}
                >
                  <title>{`✎ ${annotationLabel(n.text)}`}</title>
                </line>
              );
            })}
            {roundTimeTicks(from, to).map((t) => (
              <text key={t} x={x(t)} y={PLOT + 16} textAnchor="middle" style={{ fontSize: 11, fill: "var(--muted)" }}>
                {formatUtcTime(t, zone)}
              </text>
            ))}
          </g>
        </svg>
      )}
    </div>
  );
});
