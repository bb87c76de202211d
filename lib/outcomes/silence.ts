/**
 * Silent handlers: a handler that produced outcomes at a steady rate and then none for much longer than its usual
 * interval — a dead task is silent, not erroring. Pure; `now` is an argument.
 */
import { formatRate, formatUtc } from "../format";

/** Silence shorter than this is never flagged, however fast the handler usually is. */
export const MIN_SILENCE_MS = 5 * 60_000;
/** Silence must last this many usual intervals. */
export const SILENCE_INTERVALS = 10;
/** A steady rate needs this many outcomes… */
export const STEADY_MIN_OUTCOMES = 10;
/** …spread over at least this long (a single burst has no usual interval). */
export const STEADY_MIN_SPAN_MS = 3 * 60_000;

export interface HandlerActivity {
  /** Outcomes seen, and the outcome times of the first and the last. */
  count: number;
  first_t: number;
  last_t: number;
}

export interface Silence {
  /** The last outcome's time, ISO. */
  since: string;
  /** The mean time between outcomes while the handler ran. */
  usual_interval_ms: number;
  /** How long the silence must last to be flagged: max(MIN_SILENCE_MS, SILENCE_INTERVALS × usual interval). */
  threshold_ms: number;
}

/** The handler's mean interval while it ran; null when it has no steady rate to judge by. */
export function usualInterval(a: HandlerActivity): number | null {
  const span = a.last_t - a.first_t;
  if (a.count < STEADY_MIN_OUTCOMES || !(span >= STEADY_MIN_SPAN_MS)) return null;
  return span / (a.count - 1);
}

/** Whether the handler has gone silent at `now`; null while it still produces, or when it never had a steady rate. */
export function silenceOf(a: HandlerActivity, now: number): Silence | null {
  const interval = usualInterval(a);
  if (interval === null) return null;
  const threshold = Math.max(MIN_SILENCE_MS, SILENCE_INTERVALS * interval);
  if (now - a.last_t <= threshold) return null;
  return { since: new Date(a.last_t).toISOString(), usual_interval_ms: interval, threshold_ms: threshold };
}

/** "12/min", "2.5/s": the usual rate in the unit that reads best for it. */
export const formatUsualRate = (intervalMs: number): string =>
  intervalMs >= 1_000 ? formatRate(60_000 / intervalMs, "/min") : formatRate(1_000 / intervalMs);

/** "silent since 2026-12-07 10:19:00 UTC, usual rate 1/min": the handler table's and the finding's words. */
export const describeSilence = (s: Silence): string =>
  `silent since ${formatUtc(s.since, "utc")}, usual rate ${formatUsualRate(s.usual_interval_ms)}`;
