import { describe, expect, it } from "vitest";
import { decodeLatency, mergeStoredLatency, encodeLatency, latencyJumped, latencyQuantiles, newLatencySketch } from "./latency-sketch";
import { LATENCY_MIN_SAMPLES, LATENCY_RELATIVE_ACCURACY, LatencySketchSchema } from "./latency";

/** Deterministic pseudo-random numbers in [0, 1). */
function random(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** The exact quantile as the sketch defines it: the value at rank q × (n − 1), rounded down. */
const exactQuantile = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))]!;

/** Durations with a long tail: mostly 5–50 ms, some up to seconds, a few zeros. */
function durations(n: number, seed: number): number[] {
  const rand = random(seed);
  return Array.from({ length: n }, () => {
    const u = rand();
    if (u < 0.02) return 0;
    return u < 0.9 ? 5 + rand() * 45 : 50 * Math.exp(rand() * 4);
  });
}

describe("latency sketch", () => {
  it("latency - sketches merged from stored minutes answer p50/p95/p99 within the stated relative error of the exact values", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const minutes = Array.from({ length: 12 }, (_, i) => durations(50 + i * 37, seed * 100 + i));
      const merged = newLatencySketch();
      for (const minute of minutes) {
        const s = newLatencySketch();
        for (const d of minute) s.accept(d);
        // Through the stored form and its schema, as a rollup read back from the stream is.
        merged.merge(decodeLatency(LatencySketchSchema.parse(JSON.parse(JSON.stringify(encodeLatency(s))))));
      }
      const all = minutes.flat().sort((a, b) => a - b);
      const q = latencyQuantiles(merged)!;
      expect(q.count).toBe(all.length);
      for (const [p, got] of [
        [0.5, q.p50],
        [0.95, q.p95],
        [0.99, q.p99],
      ] as const) {
        const exact = exactQuantile(all, p);
        expect(Math.abs(got - exact)).toBeLessThanOrEqual(exact * LATENCY_RELATIVE_ACCURACY + 1e-9);
      }
    }
  });

  it("latency - the stored form keeps every bin: decoding and encoding again gives the same record", () => {
    const s = newLatencySketch();
    for (const d of durations(2_000, 9)) s.accept(d);
    const stored = encodeLatency(s)!;
    expect(encodeLatency(decodeLatency(stored))).toEqual(stored);
    expect(decodeLatency(stored).count).toBe(2_000);
  });

  it("latency - a stored sketch merged by key gives the very sketch DDSketch's own merge gives", () => {
    const a = newLatencySketch();
    const b = newLatencySketch();
    for (const d of durations(700, 21)) a.accept(d);
    for (const d of [0, 0, ...durations(900, 22).map((d) => d * 40)]) b.accept(d);
    const byLibrary = decodeLatency(encodeLatency(a)!);
    byLibrary.merge(b);
    const byKey = decodeLatency(encodeLatency(a)!);
    mergeStoredLatency(byKey, encodeLatency(b)!);
    expect(encodeLatency(byKey)).toEqual(encodeLatency(byLibrary));
    expect(latencyQuantiles(byKey)).toEqual(latencyQuantiles(byLibrary));
    expect(byKey.count).toBe(byLibrary.count);
  });

  it("latency - empty bins between durations are stored as one run; an empty sketch stores nothing", () => {
    const s = newLatencySketch();
    s.accept(10);
    s.accept(10);
    s.accept(1_000);
    s.accept(0);
    const stored = encodeLatency(s)!;
    expect(stored.z).toBe(1);
    expect(stored.c).toHaveLength(3);
    expect(stored.c[0]).toBe(2);
    expect(stored.c[1]).toBeLessThan(-100);
    expect(stored.c[2]).toBe(1);
    expect(encodeLatency(newLatencySketch())).toBeNull();
    expect(latencyQuantiles(newLatencySketch())).toBeNull();
  });
});

describe("latency regression", () => {
  const sketchOf = (n: number, ms: number) => {
    const s = newLatencySketch();
    for (let i = 0; i < n; i++) s.accept(ms);
    return s;
  };

  it("latency jump - a recent p95 past twice the baseline's is flagged with both p95s and sample counts", () => {
    const jump = latencyJumped(sketchOf(LATENCY_MIN_SAMPLES, 100), sketchOf(LATENCY_MIN_SAMPLES, 40));
    expect(jump).toMatchObject({ recent_count: LATENCY_MIN_SAMPLES, baseline_count: LATENCY_MIN_SAMPLES });
    expect(jump!.recent_p95).toBeCloseTo(100, -1);
    expect(jump!.baseline_p95).toBeCloseTo(40, -1);
  });

  it("latency jump - under twice the baseline (within the sketch's 1 % error), or fewer samples than the minimum on either side, is not flagged", () => {
    expect(latencyJumped(sketchOf(100, 78), sketchOf(100, 40))).toBeNull();
    expect(latencyJumped(sketchOf(LATENCY_MIN_SAMPLES - 1, 1_000), sketchOf(100, 40))).toBeNull();
    expect(latencyJumped(sketchOf(100, 1_000), sketchOf(LATENCY_MIN_SAMPLES - 1, 40))).toBeNull();
  });
});
