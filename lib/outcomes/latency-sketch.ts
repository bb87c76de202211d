/**
 * Handler latency (`duration_ms`) as a DDSketch (@datadog/sketches-js): quantiles within a stated relative error,
 * and merging two sketches gives exactly the sketch of all their values, so per-minute rollups add up to any range.
 * Stored in the rollups in a compact JSON form of the sketch's bins (latency.ts LatencySketchSchema).
 */
import { DDSketch } from "@datadog/sketches-js";
import {
  LATENCY_JUMP_FACTOR,
  LATENCY_MIN_SAMPLES,
  LATENCY_RELATIVE_ACCURACY,
  type LatencyJump,
  type LatencyQuantiles,
  type StoredLatencySketch,
} from "./latency";

/** Keys of room a merge widens a store by on each side: ×3.6 in value at 1 % relative accuracy. */
const WIDEN_HEADROOM_KEYS = 64;

export const newLatencySketch = (): DDSketch => new DDSketch({ relativeAccuracy: LATENCY_RELATIVE_ACCURACY });

/** The stored form of a sketch; null when it holds nothing. */
export function encodeLatency(s: DDSketch): StoredLatencySketch | null {
  if (s.count === 0) return null;
  const { store } = s;
  const counts: number[] = [];
  let gap = 0;
  // from the first bin that holds a count: a widened store (mergeStoredLatency) has empty bins at both ends
  let first: number | null = null;
  for (let key = store.minKey; store.count > 0 && key <= store.maxKey; key++) {
    const n = store.bins[key - store.offset] ?? 0;
    if (n === 0) {
      gap++;
      continue;
    }
    if (first === null) first = key;
    else if (gap > 0) counts.push(-gap);
    gap = 0;
    counts.push(n);
  }
  return { z: s.zeroCount, k: first ?? 0, c: counts };
}

/**
 * Adds a stored sketch's bins to `into` by key: stored keys are this mapping's (one relative accuracy), so each
 * bin's count goes straight to its bin, with no value round trip (two logarithms per bin, the bulk of merging a
 * day of rollups). The store is widened once to the stored key range. Count, min and max stay right; the sum is
 * not kept (nothing reads it).
 */
export function mergeStoredLatency(into: DDSketch, stored: StoredLatencySketch): void {
  if (stored.z > 0) into.accept(0, stored.z);
  let last = stored.k - 1;
  for (const n of stored.c) last += n < 0 ? -n : 1;
  if (last < stored.k) return;
  const store = into.store;
  // Each time a merge reaches past the store's keys the library re-centres (copies) all its bins: a day's range
  // summary did that thousands of times. Widen with room on both sides, so the merges after rarely move them.
  if (store.count === 0) {
    store.add(stored.k, 0);
    store.add(last, 0);
  } else if (stored.k < store.minKey || last > store.maxKey) {
    store.add(Math.min(stored.k, store.minKey) - WIDEN_HEADROOM_KEYS, 0);
    store.add(Math.max(last, store.maxKey) + WIDEN_HEADROOM_KEYS, 0);
  }
  let key = stored.k;
  let added = 0;
  for (const n of stored.c) {
    if (n < 0) {
      key -= n;
      continue;
    }
    if (n > 0) {
      store.add(key, n);
      added += n;
    }
    key++;
  }
  into.count += added;
  into.min = Math.min(into.min, into.mapping.value(stored.k));
  into.max = Math.max(into.max, into.mapping.value(last));
}

export function decodeLatency(stored: StoredLatencySketch): DDSketch {
  const s = newLatencySketch();
  mergeStoredLatency(s, stored);
  return s;
}

/** p50/p95/p99 in ms; null when the sketch holds no durations. */
export function latencyQuantiles(s: DDSketch): LatencyQuantiles | null {
  if (s.count === 0) return null;
  return { count: s.count, p50: s.getValueAtQuantile(0.5), p95: s.getValueAtQuantile(0.95), p99: s.getValueAtQuantile(0.99) };
}

/** The evidence when the recent p95 grew past LATENCY_JUMP_FACTOR × the baseline's, both with enough samples; else null. */
export function latencyJumped(recent: DDSketch, baseline: DDSketch): LatencyJump | null {
  if (recent.count < LATENCY_MIN_SAMPLES || baseline.count < LATENCY_MIN_SAMPLES) return null;
  const recentP95 = recent.getValueAtQuantile(0.95);
  const baselineP95 = baseline.getValueAtQuantile(0.95);
  if (!(recentP95 > LATENCY_JUMP_FACTOR * baselineP95)) return null;
  return { recent_p95: recentP95, recent_count: recent.count, baseline_p95: baselineP95, baseline_count: baseline.count };
}
