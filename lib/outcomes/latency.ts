/**
 * Handler latency (`duration_ms`): the stored form of its sketch, the figures the summary carries and their
 * formatting. The sketch itself (latency-sketch.ts) stays on the server: the browser gets figures only.
 */
import { z } from "zod";
import { formatDuration } from "../format";

/** Quantiles are within 1 % of the true value (the library's guarantee for this setting). */
export const LATENCY_RELATIVE_ACCURACY = 0.01;

const binCount = z.number().int();

/**
 * A sketch's bins as stored: `z` durations at zero, and counts for the consecutive bin keys from `k` on, where a
 * negative entry -n stands for n empty bins (a minute's durations are often spread with gaps).
 */
export const LatencySketchSchema = z.object({
  z: z.number().int().nonnegative(),
  k: z.number().int(),
  c: z.array(binCount),
});
export type StoredLatencySketch = z.infer<typeof LatencySketchSchema>;

export interface LatencyQuantiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
}

/** A latency regression needs this many durations in the recent minutes and in the baseline before them. */
export const LATENCY_MIN_SAMPLES = 20;
/** …and a recent p95 over this many times the baseline's. */
export const LATENCY_JUMP_FACTOR = 2;

export interface LatencyJump {
  recent_p95: number;
  recent_count: number;
  baseline_p95: number;
  baseline_count: number;
}

/** "0.8ms", "42ms", "1.3s": a tenth of a ms below 10 ms, where handler durations often sit. */
export const formatLatency = (ms: number | null | undefined): string =>
  ms !== null && ms !== undefined && ms < 10 ? `${ms.toFixed(1)}ms` : formatDuration(ms);

/** The handler table's cell: "12 / 40 / 81ms" (p50 / p95 / p99); "—" when no outcome carried a duration. */
export const formatQuantiles = (q: LatencyQuantiles | null): string =>
  q === null ? "—" : `${formatLatency(q.p50).replace(/ms$/, "")} / ${formatLatency(q.p95).replace(/ms$/, "")} / ${formatLatency(q.p99)}`;
