/** The dashboard's own bounded rate history per stream, for the detail page's charts. Pure. */
import type { StreamSummary } from "./types";

export interface RatePoint {
  /** epoch ms of the sample */
  t: number;
  msgs_per_s: number;
  bytes_per_s: number;
  messages: number;
  bytes: number;
}

/** 15 minutes at the default 1 s sample interval. */
export const HISTORY_CAPACITY = 900;

export function ratePoint(s: Pick<StreamSummary, "sampled_at" | "rates" | "state">): RatePoint | null {
  if (!s.rates) return null;
  const t = Date.parse(s.sampled_at);
  if (Number.isNaN(t)) return null;
  return { t, msgs_per_s: s.rates.msgs_per_s, bytes_per_s: s.rates.bytes_per_s, messages: s.state.messages, bytes: s.state.bytes };
}

/** Appends in place and drops the oldest beyond `capacity`; a repeated sample time is ignored. */
export function appendPoint(series: RatePoint[], p: RatePoint, capacity = HISTORY_CAPACITY): RatePoint[] {
  const last = series.at(-1);
  if (last && p.t <= last.t) return series;
  series.push(p);
  if (series.length > capacity) series.splice(0, series.length - capacity);
  return series;
}

/** Points within the last `rangeMs` before `now`. */
export function pointsInRange(series: readonly RatePoint[], rangeMs: number, now: number): RatePoint[] {
  const from = now - rangeMs;
  let i = series.length;
  while (i > 0 && series[i - 1]!.t >= from) i--;
  return series.slice(i);
}

/** Mean rates over the points (null when empty): steadier than one sample for "full in …" estimates. */
export function meanRates(points: readonly RatePoint[]): { msgs_per_s: number; bytes_per_s: number } | null {
  if (points.length === 0) return null;
  let m = 0;
  let b = 0;
  for (const p of points) {
    m += p.msgs_per_s;
    b += p.bytes_per_s;
  }
  return { msgs_per_s: m / points.length, bytes_per_s: b / points.length };
}
