/**
 * A singleton's timeline lane as a handful of SVG paths, whatever the number of transitions: one path per
 * holder for its tenure bands, one for the gaps in service, one per marker kind. Everything is snapped to
 * whole pixels and merged there, so the path size is bounded by the lane's width, not by the history.
 * Pure: the caller passes the window, `now` and the width in pixels.
 */
import { lowerBound, upperBound, type KeyTimeline } from "./transition-index";
import { TENURE_KINDS, type TransitionKind } from "./lock-transitions";

export type MarkerKind = Extract<TransitionKind, "failover" | "handover" | "release" | "expired" | "late_renew" | "malformed">;
export const MARKER_KINDS: readonly MarkerKind[] = ["failover", "handover", "release", "expired", "late_renew", "malformed"];
const isMarker = (k: TransitionKind): k is MarkerKind => (MARKER_KINDS as readonly string[]).includes(k);

export interface LaneLabel {
  x: number;
  text: string;
  kind: MarkerKind | "split_brain" | "holder";
  anchor: "start" | "middle" | "end";
}

export interface LanePaths {
  /** One path per holder: its tenure bands. */
  bands: { holder: string; d: string }[];
  gaps: string;
  markers: { kind: MarkerKind; d: string }[];
  splitBrain: string;
  labels: LaneLabel[];
  /** Failovers inside the window (exact, not per pixel). */
  failovers: number;
}

export interface LaneGeometry {
  width: number;
  height: number;
  /** Band top and bottom as a share of the height. */
  bandTop?: number;
  bandBottom?: number;
}

/** A band is labelled with its holder when it is at least this share of the lane. */
const HOLDER_LABEL_SHARE = 0.07;
/** A marker label needs about this share of the lane to stay readable next to its neighbour. */
const MARKER_LABEL_SHARE = 0.09;

export const MARKER_LABEL: Record<MarkerKind | "split_brain", string> = {
  failover: "failover",
  handover: "handover",
  release: "release",
  expired: "expired",
  late_renew: "late renew",
  malformed: "unreadable",
  split_brain: "SPLIT-BRAIN",
};

/** Pixel columns [x0, x1) of time spans, at least one pixel wide, merged where they touch. */
export function pixelSpans(spans: readonly [number, number][], from: number, to: number, width: number): [number, number][] {
  const scale = width / (to - from);
  const out: [number, number][] = [];
  for (const [a, b] of spans) {
    const x0 = Math.max(0, Math.floor((a - from) * scale));
    const x1 = Math.min(width, Math.max(x0 + 1, Math.ceil((b - from) * scale)));
    if (x1 <= 0 || x0 >= width) continue;
    const last = out.at(-1);
    if (last && x0 <= last[1]) last[1] = Math.max(last[1], x1);
    else out.push([x0, x1]);
  }
  return out;
}

const rects = (spans: readonly [number, number][], y0: number, y1: number) =>
  spans.map(([a, b]) => `M${a} ${y0}H${b}V${y1}H${a}Z`).join("");
const ticks = (columns: Iterable<number>, height: number) => [...columns].map((x) => `M${x + 0.5} 0V${height}`).join("");

/** Holder tenures overlapping [from, end], oldest first, including the one open when the window starts. */
function tenureSpans(k: KeyTimeline, from: number, end: number): { holder: string; from: number; to: number }[] {
  let i = lowerBound(k.times, from);
  while (i > 0 && !TENURE_KINDS.includes(k.transitions[i - 1]!.kind)) i--;
  if (i > 0) i--;
  const out: { holder: string; from: number; to: number }[] = [];
  let open: { holder: string; from: number } | null = null;
  for (; i < k.transitions.length && k.times[i]! <= end; i++) {
    const t = k.transitions[i]!;
    if (!TENURE_KINDS.includes(t.kind)) continue;
    if (open) out.push({ ...open, to: k.times[i]! });
    open = t.holder ? { holder: t.holder, from: k.times[i]! } : null;
  }
  if (open) out.push({ ...open, to: end });
  return out.filter((b) => b.to >= from).map((b) => ({ ...b, from: Math.max(b.from, from) }));
}

/** The lane of one singleton over [from, to], with `now` ending the open tenure. */
export function lanePaths(k: KeyTimeline, from: number, to: number, now: number, g: LaneGeometry): LanePaths {
  const { width, height } = g;
  const empty: LanePaths = { bands: [], gaps: "", markers: [], splitBrain: "", labels: [], failovers: 0 };
  if (!(to > from) || width <= 0) return empty;
  const y0 = Math.round(height * (g.bandTop ?? 0.1));
  const y1 = Math.round(height * (g.bandBottom ?? 0.9));
  const x = (t: number) => ((t - from) / (to - from)) * width;
  const column = (t: number) => Math.min(width - 1, Math.max(0, Math.floor(x(t))));
  const labels: LaneLabel[] = [];

  const byHolder = new Map<string, [number, number][]>();
  for (const b of tenureSpans(k, from, Math.min(to, now))) {
    if (!byHolder.has(b.holder)) byHolder.set(b.holder, []);
    byHolder.get(b.holder)!.push([b.from, b.to]);
    if ((b.to - b.from) / (to - from) > HOLDER_LABEL_SHARE)
      labels.push({ x: Math.round(x(b.from)) + 4, text: b.holder, kind: "holder", anchor: "start" });
  }
  const bands = [...byHolder].map(([holder, spans]) => ({ holder, d: rects(pixelSpans(spans, from, to, width), y0, y1) }));

  const first = lowerBound(k.times, from);
  const last = upperBound(k.times, to);
  const gapSpans: [number, number][] = [];
  const columns = new Map<MarkerKind, Set<number>>();
  const splitColumns = new Set<number>();
  const minLabelGap = (to - from) * MARKER_LABEL_SHARE;
  let lastLabelled = -Infinity;
  let failovers = 0;
  for (let i = first; i < last; i++) {
    const t = k.transitions[i]!;
    const at = k.times[i]!;
    const previousWrite = k.previousWriteTimes[i]!;
    if ((t.kind === "failover" || t.kind === "handover" || t.kind === "late_renew") && !Number.isNaN(previousWrite))
      gapSpans.push([Math.max(from, previousWrite), at]);
    if (!isMarker(t.kind)) continue;
    if (t.kind === "failover") failovers++;
    const c = column(at);
    if (t.split_brain) splitColumns.add(c);
    else {
      if (!columns.has(t.kind)) columns.set(t.kind, new Set());
      columns.get(t.kind)!.add(c);
    }
    // Walking in time order, a marker is labelled when it sits far enough after the last labelled one.
    if (at - lastLabelled >= minLabelGap) {
      lastLabelled = at;
      const share = (at - from) / (to - from);
      const kind = t.split_brain ? "split_brain" : t.kind;
      labels.push({ x: c + 0.5, text: MARKER_LABEL[kind], kind, anchor: share > 0.88 ? "end" : share < 0.06 ? "start" : "middle" });
    }
  }
  const gaps = rects(pixelSpans(gapSpans, from, to, width), 0, height);
  const markers = MARKER_KINDS.flatMap((kind) => (columns.has(kind) ? [{ kind, d: ticks(columns.get(kind)!, height) }] : []));
  return { bands, gaps, markers, splitBrain: ticks(splitColumns, height), labels, failovers };
}

/** Vertical ticks, one per pixel column, for events on a shared lane (JetStream leader changes). */
export function eventTicks(times: readonly number[], from: number, to: number, width: number, height: number): string {
  if (!(to > from) || width <= 0) return "";
  const columns = new Set<number>();
  for (const t of times) if (t >= from && t <= to) columns.add(Math.min(width - 1, Math.floor(((t - from) / (to - from)) * width)));
  return ticks(columns, height);
}

export interface OverviewBin {
  t: number;
  failovers: number;
  other: number;
  leaders: number;
}

/** Stacked bars of the overview (failovers at the bottom, then other transitions, then leader changes): one path per series. */
export function overviewBars(
  bins: readonly OverviewBin[],
  width: number,
  height: number,
): { failovers: string; other: string; leaders: string; max: number } {
  const max = Math.max(1, ...bins.map((b) => b.failovers + b.other + b.leaders));
  const slot = bins.length ? width / bins.length : 0;
  const gap = slot > 3 ? 1 : 0;
  const paths = { failovers: "", other: "", leaders: "" };
  bins.forEach((b, i) => {
    const x0 = Math.round(i * slot);
    const x1 = Math.max(x0 + 1, Math.round((i + 1) * slot) - gap);
    let base = height;
    for (const series of ["failovers", "other", "leaders"] as const) {
      if (b[series] === 0) continue;
      const top = base - (b[series] / max) * height;
      paths[series] += `M${x0} ${base.toFixed(1)}H${x1}V${top.toFixed(1)}H${x0}Z`;
      base = top;
    }
  });
  return { ...paths, max };
}
