"use client";
import { memo, useMemo } from "react";
import { useLiveTopic } from "@/components/live/use-live-events";
import { annotationLabel } from "@/lib/review/annotations";
import { holderColor, spacedLabels } from "@/lib/failover/timeline-marks";
import { type LeaderEvent } from "@/lib/failover/timeline";
import { failoversBetween, type KeyTimeline } from "@/lib/failover/transition-index";
import { eventTicks, lanePaths, type LaneLabel, type MarkerKind } from "@/lib/failover/lanes";
import { formatUtcTime } from "@/lib/format";
import { roundTimeTicks } from "@/lib/time/range";
import { useElementWidth } from "./use-element-width";
import { useDisplayZone } from "@/components/ui/display-zone";

/** Left/right margins of the plot: the same as the overview chart's, so an instant sits at the same x. */
const MARGIN = 12;
const LABEL_ROOM = 14;

const MARKER_STYLE: Record<MarkerKind | "split_brain", { color: string; width: number; dash?: string }> = {
  failover: { color: "var(--bad)", width: 2 },
  handover: { color: "var(--info)", width: 1 },
  release: { color: "var(--muted)", width: 1, dash: "4 3" },
  expired: { color: "var(--warn)", width: 1, dash: "2 2" },
  late_renew: { color: "var(--warn)", width: 1, dash: "1 3" },
  malformed: { color: "var(--warn)", width: 1, dash: "1 3" },
  split_brain: { color: "var(--bad)", width: 3 },
};

/** The lane's frame: plot area inset by the margins, round time ticks under it, operators' notes over it. */
function Lane({
  from,
  to,
  plotHeight,
  axis,
  testId,
  data,
  children,
}: {
  from: number;
  to: number;
  plotHeight: number;
  axis: boolean;
  testId: string;
  data: Record<string, string | number>;
  children: (width: number) => React.ReactNode;
}) {
  const zone = useDisplayZone();
  const { ref, width: outer } = useElementWidth<HTMLDivElement>();
  const width = Math.max(0, outer - 2 * MARGIN);
  const height = LABEL_ROOM + plotHeight + (axis ? 20 : 4);
  const notes = useLiveTopic("annotations").data ?? [];
  const x = (t: number) => ((t - from) / (to - from)) * width;
  return (
    <div ref={ref} data-testid={testId} {...Object.fromEntries(Object.entries(data).map(([k, v]) => [`data-${k}`, v]))}>
      {width > 0 && (
        <svg width={outer} height={height} role="img" aria-label="timeline" style={{ display: "block" }}>
          <g transform={`translate(${MARGIN} ${LABEL_ROOM})`}>
            {children(width)}
            {notes.map((a) => {
              const t = Date.parse(a.at);
              if (t < from || t > to) return null;
              return (
                <line
                  key={a.id}
                  className="chart-annotation"
                  x1={x(t)}
                  x2={x(t)}
                  y1={-LABEL_ROOM}
                  y2={plotHeight}
                  style={{ stroke: "var(--accent)", strokeWidth: 1.5, strokeDasharray: "4 3" }}
                >
                  <title>{`✎ ${annotationLabel(a.text)}`}</title>
                </line>
              );
            })}
            {axis &&
              roundTimeTicks(from, to).map((t) => (
                <text key={t} x={x(t)} y={plotHeight + 15} textAnchor="middle" style={{ fontSize: 11, fill: "var(--muted)" }}>
                  {formatUtcTime(t, zone)}
                </text>
              ))}
          </g>
        </svg>
      )}
    </div>
  );
}

function LaneLabels({ labels, plotHeight }: { labels: LaneLabel[]; plotHeight: number }) {
  return labels.map((l, i) =>
    l.kind === "holder" ? (
      <text key={i} x={l.x} y={plotHeight / 2 + 4} style={{ fontSize: 11, fontWeight: 600, fill: "#111" }}>
        {l.text}
      </text>
    ) : (
      <text key={i} x={l.x} y={-3} textAnchor={l.anchor} style={{ fontSize: 10, fill: MARKER_STYLE[l.kind].color }}>
        {l.text}
      </text>
    ),
  );
}

const PLOT = 38;

/**
 * One singleton over the window: the holder as a coloured band (named, so it reads in grayscale), the gap in
 * service before each takeover as a pale red span, and markers per failover / release / expiry / late renew —
 * each drawn as one path, a pixel column at most once, however many transitions the window holds.
 */
export const ChartHolderTimeline = memo(function ChartHolderTimeline({
  keyName,
  timeline,
  from,
  to,
  now,
}: {
  keyName: string;
  timeline: KeyTimeline;
  from: number;
  to: number;
  now: number;
}) {
  return (
    <Lane
      from={from}
      to={to}
      plotHeight={PLOT}
      axis
      testId={`timeline-${keyName}`}
      data={{ failovers: failoversBetween(timeline, from, to) }}
    >
      {(width) => <HolderPaths timeline={timeline} from={from} to={to} now={now} width={width} />}
    </Lane>
  );
});

function HolderPaths({ timeline, from, to, now, width }: { timeline: KeyTimeline; from: number; to: number; now: number; width: number }) {
  const lane = useMemo(() => lanePaths(timeline, from, to, now, { width, height: PLOT }), [timeline, from, to, now, width]);
  return (
    <>
      {lane.bands.map((b) => (
        <path key={b.holder} d={b.d} style={{ fill: holderColor(b.holder), fillOpacity: 0.75 }} />
      ))}
      {lane.gaps && <path d={lane.gaps} style={{ fill: "var(--bad)", fillOpacity: 0.18 }} />}
      {lane.markers.map((m) => (
        <path
          key={m.kind}
          d={m.d}
          data-kind={m.kind}
          style={{
            stroke: MARKER_STYLE[m.kind].color,
            strokeWidth: MARKER_STYLE[m.kind].width,
            strokeDasharray: MARKER_STYLE[m.kind].dash,
            fill: "none",
          }}
        />
      ))}
      {lane.splitBrain && (
        <path d={lane.splitBrain} data-kind="split_brain" style={{ stroke: "var(--bad)", strokeWidth: 3, fill: "none" }} />
      )}
      <LaneLabels labels={lane.labels} plotHeight={PLOT} />
    </>
  );
}

const LEADER_COLOR: Record<LeaderEvent["kind"], string> = {
  stream_leader: "var(--info)",
  consumer_leader: "var(--accent)",
  stream_quorum_lost: "var(--bad)",
  consumer_quorum_lost: "var(--bad)",
};

/** JetStream RAFT leader elections and quorum losses on the same time axis as the locks: one path per kind. */
export const ChartLeaderTimeline = memo(function ChartLeaderTimeline({
  events,
  from,
  to,
}: {
  events: LeaderEvent[];
  from: number;
  to: number;
}) {
  const byKind = useMemo(() => {
    const m = new Map<LeaderEvent["kind"], number[]>();
    for (const e of events) {
      if (!m.has(e.kind)) m.set(e.kind, []);
      m.get(e.kind)!.push(Date.parse(e.at));
    }
    return [...m];
  }, [events]);
  // Leader labels name only the stream or consumer (the table names the new leader); spaced so bursts stay readable.
  const labelled = useMemo(() => {
    const times = events.map((e) => Date.parse(e.at));
    const on = spacedLabels(times, (to - from) * 0.135);
    return events.flatMap((e, i) =>
      on[i] && times[i]! >= from && times[i]! <= to
        ? [{ t: times[i]!, text: `${e.consumer ?? e.stream ?? "?"}${e.kind.endsWith("quorum_lost") ? " quorum lost" : ""}` }]
        : [],
    );
  }, [events, from, to]);
  return (
    <Lane from={from} to={to} plotHeight={30} axis={false} testId="timeline-jetstream" data={{ events: events.length }}>
      {(width) => (
        <>
          {byKind.map(([kind, times]) => (
            <path
              key={kind}
              d={eventTicks(times, from, to, width, 30)}
              style={{ stroke: LEADER_COLOR[kind], strokeWidth: kind.endsWith("quorum_lost") ? 3 : 1.5, fill: "none" }}
            >
              <title>{`${times.length} ${kind.replace(/_/g, " ")}`}</title>
            </path>
          ))}
          {labelled.map((l, i) => {
            const share = (l.t - from) / (to - from);
            return (
              <text
                key={i}
                x={share * width}
                y={-3}
                textAnchor={share > 0.88 ? "end" : share < 0.06 ? "start" : "middle"}
                style={{ fontSize: 10, fill: "var(--muted)" }}
              >
                {l.text}
              </text>
            );
          })}
        </>
      )}
    </Lane>
  );
});
