"use client";
import { memo } from "react";
import { ComposedChart, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartAnnotations } from "@/components/ui/chart-annotations";
import { holderColor, spacedLabels, type LeaderEvent } from "@/lib/failover";
import { formatUtcTime } from "@/lib/format";
import { roundTimeTicks } from "@/lib/time-range";
import { tenureBands, type LockTransition, type TransitionKind } from "@/lib/lock-transitions";

const axisTick = { fontSize: 11, fill: "var(--muted)" };
/** A label needs about this share of the chart width to stay readable next to its neighbour. */
const LABEL_SPACING = 0.09;

const MARKER: Partial<Record<TransitionKind, { color: string; label: string; dash?: string }>> = {
  failover: { color: "var(--bad)", label: "failover" },
  handover: { color: "var(--info)", label: "handover" },
  release: { color: "var(--muted)", label: "release", dash: "4 3" },
  expired: { color: "var(--warn)", label: "expired", dash: "2 2" },
  late_renew: { color: "var(--warn)", label: "late renew", dash: "1 3" },
  malformed: { color: "var(--warn)", label: "unreadable", dash: "1 3" },
};


/**
 * A marker label centred on its line would be cut off at the chart's edges: near them it hangs inwards
 * from the line instead.
 */
function labelPosition(x: number, from: number, to: number): "top" | "insideTopLeft" | "insideTopRight" {
  const share = (x - from) / (to - from);
  return share > 0.88 ? "insideTopRight" : share < 0.06 ? "insideTopLeft" : "top";
}

function Frame({ from, to, height, axis, children }: { from: number; to: number; height: number; axis: boolean; children: React.ReactNode }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      {/* Two invisible points span the window: reference areas and lines need a real axis scale to sit on.
          Explicit round ticks: with only those two points recharts would label just one end. */}
      <ComposedChart data={[{ t: from, y: 0 }, { t: to, y: 0 }]} margin={{ top: 14, right: 12, bottom: 0, left: 12 }}>
        <XAxis dataKey="t" type="number" domain={[from, to]} allowDataOverflow ticks={roundTimeTicks(from, to)} tickFormatter={(t) => formatUtcTime(t)} tick={axisTick} minTickGap={60} hide={!axis} />
        <YAxis type="number" domain={[0, 1]} hide />
        <Line dataKey="y" stroke="none" dot={false} activeDot={false} isAnimationActive={false} />
        {children}
        {/* Every row shows the notes; only the row with the time axis labels them, so labels never stack. */}
        <ChartAnnotations labels={axis} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}

/**
 * One singleton over the window: the holder as a coloured band (named, so it reads in grayscale), the gap in
 * service before each takeover as a pale red span, and a marker per failover / release / expiry / late renew.
 */
export const ChartHolderTimeline = memo(function ChartHolderTimeline({ keyName, transitions, from, to, now }: { keyName: string; transitions: LockTransition[]; from: number; to: number; now: number }) {
  const bands = tenureBands(transitions, keyName, from, to);
  const span = to - from;
  const markers = transitions.filter((t) => t.key === keyName && MARKER[t.kind] && Date.parse(t.at) >= from && Date.parse(t.at) <= to);
  const gaps = markers.filter((t) => (t.kind === "failover" || t.kind === "handover" || t.kind === "late_renew") && t.previous_write_at);
  const labelled = spacedLabels(markers.map((m) => Date.parse(m.at)), span * LABEL_SPACING);
  return (
    <div data-testid={`timeline-${keyName}`} data-failovers={markers.filter((m) => m.kind === "failover").length}>
      <Frame from={from} to={to} height={74} axis>
        {bands.map((b) => {
          const end = b.to ?? Math.min(to, now);
          const wide = (end - b.from) / span > 0.07;
          return (
            <ReferenceArea
              key={`${b.holder}-${b.from}`}
              x1={b.from}
              x2={end}
              y1={0.1}
              y2={0.9}
              fill={holderColor(b.holder)}
              fillOpacity={0.75}
              stroke="var(--panel)"
              ifOverflow="hidden"
              label={wide ? { value: b.holder, position: "insideLeft", fill: "#111", fontSize: 11, fontWeight: 600 } : undefined}
            />
          );
        })}
        {gaps.map((g) => (
          <ReferenceArea key={`gap-${g.revision}`} x1={Math.max(from, Date.parse(g.previous_write_at!))} x2={Date.parse(g.at)} y1={0} y2={1} fill="var(--bad)" fillOpacity={0.18} ifOverflow="hidden" />
        ))}
        {markers.map((m, i) => {
          const style = MARKER[m.kind]!;
          return (
            <ReferenceLine
              key={`${m.kind}-${m.revision}`}
              x={Date.parse(m.at)}
              stroke={m.split_brain ? "var(--bad)" : style.color}
              strokeWidth={m.split_brain ? 3 : m.kind === "failover" ? 2 : 1}
              strokeDasharray={style.dash}
              ifOverflow="hidden"
              label={labelled[i] || m.split_brain ? { value: m.split_brain ? "SPLIT-BRAIN" : style.label, position: labelPosition(Date.parse(m.at), from, to), fontSize: 10, fill: style.color } : undefined}
            />
          );
        })}
      </Frame>
    </div>
  );
});

const LEADER_COLOR: Record<LeaderEvent["kind"], string> = {
  stream_leader: "var(--info)",
  consumer_leader: "var(--accent)",
  stream_quorum_lost: "var(--bad)",
  consumer_quorum_lost: "var(--bad)",
};

/** JetStream RAFT leader elections and quorum losses on the same time axis as the locks. */
export function ChartLeaderTimeline({ events, from, to }: { events: LeaderEvent[]; from: number; to: number }) {
  // Leader labels name only the stream or consumer (the table names the new leader): they need more room.
  const labelled = spacedLabels(events.map((e) => Date.parse(e.at)), (to - from) * LABEL_SPACING * 1.5);
  return (
    <div data-testid="timeline-jetstream" data-events={events.length}>
      <Frame from={from} to={to} height={54} axis={false}>
        {events.map((e, i) => (
          <ReferenceLine
            key={`${e.kind}-${e.stream}-${e.consumer}-${e.at}`}
            x={Date.parse(e.at)}
            stroke={LEADER_COLOR[e.kind]}
            strokeWidth={e.kind.endsWith("quorum_lost") ? 3 : 1.5}
            ifOverflow="hidden"
            label={labelled[i] ? { value: `${e.consumer ?? e.stream ?? "?"}${e.kind.endsWith("quorum_lost") ? " quorum lost" : ""}`, position: labelPosition(Date.parse(e.at), from, to), fontSize: 10, fill: "var(--muted)" } : undefined}
          />
        ))}
      </Frame>
    </div>
  );
}
