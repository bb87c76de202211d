/**
 * A handler's latency over a whole range as at most N chart points: minutes grouped into buckets of a whole
 * number of minutes, each bucket's p50/p95/p99 from the merge of its minutes' sketches (exact: merging DDSketches
 * gives the sketch of all their values). Server-side (it merges sketches); the browser gets the figures.
 */
import type { DDSketch } from "@datadog/sketches-js";
import type { StoredLatencySketch } from "./latency";
import { encodeLatency, latencyQuantiles, mergeStoredLatency, newLatencySketch } from "./latency-sketch";
import { outcomeTime, type LatencyPoint, type OutcomeRecord } from "./outcome";
import type { OutcomeRollup } from "./rollup";

const MINUTE_MS = 60_000;

/** About what fits a chart 1,000 px wide: a point every ~8 px. */
export const LATENCY_CHART_POINTS = 120;

/** Bucket widths in minutes, each a divisor of the next larger calendar unit, so bucket starts read well (:00, :15…). */
const STEPS_MIN = [1, 2, 3, 5, 10, 15, 20, 30, 60, 120, 180, 360, 720, 1440];

/** How many buckets of `width` (aligned to multiples of it since the epoch) [from, to) touches. */
const bucketCount = (from: number, to: number, width: number) =>
  to <= from ? 0 : Math.floor((to - 1) / width) - Math.floor(from / width) + 1;

/** The smallest step (whole minutes, then whole days) that covers [from, to) in at most `maxPoints` aligned buckets. */
export function latencyBucketMs(from: number, to: number, maxPoints = LATENCY_CHART_POINTS): number {
  const max = Math.max(1, Math.floor(maxPoints));
  for (const m of STEPS_MIN) if (bucketCount(from, to, m * MINUTE_MS) <= max) return m * MINUTE_MS;
  let days = 2;
  while (bucketCount(from, to, days * 1440 * MINUTE_MS) > max) days *= 2;
  return days * 1440 * MINUTE_MS;
}

/** One minute's durations as read from the store: a rollup bucket's sketch, or one built from raw outcomes. */
export interface MinuteLatency {
  /** Start of the minute (outcome time), epoch ms. */
  t: number;
  latency: StoredLatencySketch;
}

export interface LatencyChart {
  /** The bucket width; buckets start at multiples of it (UTC). */
  bucket_ms: number;
  /** The first bucket's start and the end of the range: the axis the points are placed on. */
  from: number;
  to: number;
  /** Buckets with durations, oldest first (empty buckets are left out: the chart leaves a gap). */
  points: LatencyPoint[];
}

/**
 * The range [from, to) in at most `maxPoints` buckets with each one's p50/p95/p99 from its minutes' merged
 * sketches. Minutes outside the range are skipped; a minute may appear more than once (its parts are merged).
 */
export function latencyChart(minutes: readonly MinuteLatency[], from: number, to: number, maxPoints = LATENCY_CHART_POINTS): LatencyChart {
  const width = latencyBucketMs(from, to, maxPoints);
  const first = Math.floor(from / width) * width;
  const sketches = new Map<number, DDSketch>();
  for (const m of minutes) {
    if (!(m.t >= Math.floor(from / MINUTE_MS) * MINUTE_MS && m.t < to)) continue;
    const start = Math.floor(m.t / width) * width;
    let s = sketches.get(start);
    if (!s) sketches.set(start, (s = newLatencySketch()));
    mergeStoredLatency(s, m.latency);
  }
  const points: LatencyPoint[] = [];
  for (const t of [...sketches.keys()].sort((a, b) => a - b)) {
    const q = latencyQuantiles(sketches.get(t)!);
    if (q) points.push({ t, ...q });
  }
  return { bucket_ms: width, from: first, to, points };
}

/**
 * One handler's durations per minute from the parts of a range summary: each rollup bucket's sketch at its minute,
 * a rollup's durations older than its bucket window at the rollup's minute, and the raw records' durations by the
 * minute of their outcome time.
 */
export function handlerMinuteLatencies(rollups: readonly OutcomeRollup[], raw: readonly OutcomeRecord[], handler: string): MinuteLatency[] {
  const out: MinuteLatency[] = [];
  for (const r of rollups) {
    if (r.handler_id !== handler) continue;
    for (const b of r.buckets) if (b.latency) out.push({ t: b.t, latency: b.latency });
    if (r.unbucketed_latency) out.push({ t: r.minute, latency: r.unbucketed_latency });
  }
  const rawMinutes = new Map<number, DDSketch>();
  for (const r of raw) {
    if (r.handler_id !== handler || !r.valid || r.body.duration_ms === undefined) continue;
    const t = Math.floor(outcomeTime(r) / MINUTE_MS) * MINUTE_MS;
    if (Number.isNaN(t)) continue;
    let s = rawMinutes.get(t);
    if (!s) rawMinutes.set(t, (s = newLatencySketch()));
    s.accept(r.body.duration_ms);
  }
  for (const [t, s] of rawMinutes) {
    const latency = encodeLatency(s);
    if (latency) out.push({ t, latency });
  }
  return out;
}
