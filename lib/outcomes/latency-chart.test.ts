import { describe, expect, it } from "vitest";
import { LATENCY_CHART_POINTS, handlerMinuteLatencies, latencyBucketMs, latencyChart, type MinuteLatency } from "./latency-chart";
import { LATENCY_RELATIVE_ACCURACY } from "./latency";
import { encodeLatency, latencyQuantiles, newLatencySketch } from "./latency-sketch";
import type { OutcomeRecord } from "./outcome";
import { validOutcome } from "../../testing/fixtures/outcome";

const MIN = 60_000;
const HOUR = 60 * MIN;
/** A fixed, whole-day-aligned start, so bucket boundaries are easy to state. */
const T0 = Date.UTC(2026, 11, 7);

function random(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** The rank the sketch reads a quantile at: the value at q × (n − 1), rounded down. */
const exactQuantile = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))]!;

/** Per minute a different spread of durations (some minutes slow, some with a long tail, a few zeros). */
function minuteDurations(minute: number, rand: () => number): number[] {
  const n = 5 + Math.floor(rand() * 40);
  const base = 2 + (minute % 7) * 3;
  return Array.from({ length: n }, () => {
    const u = rand();
    if (u < 0.02) return 0;
    return u < 0.9 ? base + rand() * base * 4 : base * 10 * Math.exp(rand() * 3);
  });
}

const stored = (durations: number[]) => {
  const s = newLatencySketch();
  for (const d of durations) s.accept(d);
  return encodeLatency(s)!;
};

describe("handler latency chart", () => {
  it("latency-chart - the bucket width keeps any range within the point budget, in whole minutes", () => {
    expect(latencyBucketMs(T0, T0 + HOUR)).toBe(MIN);
    expect(latencyBucketMs(T0, T0 + 2 * HOUR)).toBe(MIN);
    expect(latencyBucketMs(T0, T0 + 6 * HOUR)).toBe(3 * MIN);
    expect(latencyBucketMs(T0, T0 + 24 * HOUR)).toBe(15 * MIN);
    expect(latencyBucketMs(T0, T0 + 7 * 24 * HOUR)).toBe(120 * MIN);
    // An unaligned start touches one bucket more: 2 h from :30 s past a minute needs 121 one-minute buckets.
    expect(latencyBucketMs(T0 + 30_000, T0 + 30_000 + 2 * HOUR)).toBe(2 * MIN);
    const rand = random(7);
    for (let i = 0; i < 500; i++) {
      const from = T0 + Math.floor(rand() * 30 * 24 * HOUR);
      const to = from + 1 + Math.floor(rand() * rand() * 90 * 24 * HOUR);
      const max = 10 + Math.floor(rand() * 200);
      const width = latencyBucketMs(from, to, max);
      expect(width % MIN).toBe(0);
      expect(Math.floor((to - 1) / width) - Math.floor(from / width) + 1).toBeLessThanOrEqual(max);
    }
  });

  it("latency-chart - each bucket's quantiles are those of one sketch of all its minutes' durations, within the stated accuracy of the exact ones", () => {
    const rand = random(11);
    const from = T0 + 17 * MIN;
    const to = from + 6 * HOUR - 3 * MIN; // 120 buckets of 3 minutes, the first starting at :15
    const byMinute = new Map<number, number[]>();
    const minutes: MinuteLatency[] = [];
    for (let t = from; t < to; t += MIN) {
      if (rand() < 0.2) continue; // empty minutes
      const d = minuteDurations(t / MIN, rand);
      byMinute.set(t, d);
      // Some minutes arrive in two parts (a rollup bucket and raw records of the same minute).
      if (rand() < 0.3) minutes.push({ t, latency: stored(d.slice(0, 2)) }, { t, latency: stored(d.slice(2)) });
      else minutes.push({ t, latency: stored(d) });
    }
    const chart = latencyChart(minutes, from, to);
    expect(chart.bucket_ms).toBe(3 * MIN);
    expect(chart.points.length).toBeLessThanOrEqual(LATENCY_CHART_POINTS);
    expect(chart.from).toBe(T0 + 15 * MIN);
    for (const p of chart.points) {
      const all = [...byMinute.entries()].filter(([t]) => t >= p.t && t < p.t + chart.bucket_ms).flatMap(([, d]) => d);
      const direct = newLatencySketch();
      for (const d of all) direct.accept(d);
      // The merged bucket answers as the sketch built from its durations directly (same bins, same counts)…
      const q = latencyQuantiles(direct)!;
      expect(p.count).toBe(all.length);
      for (const k of ["p50", "p95", "p99"] as const) expect(p[k]).toBeCloseTo(q[k], 9);
      // …and so within the sketch's relative accuracy of the exact quantiles.
      const sorted = [...all].sort((a, b) => a - b);
      for (const [k, quantile] of [
        ["p50", 0.5],
        ["p95", 0.95],
        ["p99", 0.99],
      ] as const) {
        const exact = exactQuantile(sorted, quantile);
        expect(Math.abs(p[k] - exact)).toBeLessThanOrEqual(exact * LATENCY_RELATIVE_ACCURACY + 1e-9);
      }
    }
    // Every minute with durations is in exactly one point.
    expect(chart.points.reduce((n, p) => n + p.count, 0)).toBe([...byMinute.values()].reduce((n, d) => n + d.length, 0));
  });

  it("latency-chart - bucket boundaries: a minute counts in the bucket that starts at or before it; the range's end is exclusive", () => {
    const from = T0;
    const to = T0 + 6 * HOUR; // 3-minute buckets [0,3) [3,6) …
    const minutes = [
      { t: T0 + 2 * MIN, latency: stored([10]) },
      { t: T0 + 3 * MIN, latency: stored([1000]) },
      { t: T0 + 5 * MIN, latency: stored([1000]) },
      { t: to, latency: stored([5]) }, // the range's end: outside
      { t: T0 - MIN, latency: stored([5]) }, // before it: outside
    ];
    const chart = latencyChart(minutes, from, to);
    expect(chart.points.map((p) => [(p.t - T0) / MIN, p.count])).toEqual([
      [0, 1],
      [3, 2],
    ]);
    expect(Math.abs(chart.points[0]!.p50 - 10)).toBeLessThanOrEqual(10 * LATENCY_RELATIVE_ACCURACY);
    expect(Math.abs(chart.points[1]!.p50 - 1000)).toBeLessThanOrEqual(1000 * LATENCY_RELATIVE_ACCURACY);
  });

  it("latency-chart - empty minutes and empty ranges give no points, not zeros", () => {
    expect(latencyChart([], T0, T0 + HOUR)).toEqual({ bucket_ms: MIN, from: T0, to: T0 + HOUR, points: [] });
    const sparse = latencyChart([{ t: T0 + 40 * MIN, latency: stored([3, 4]) }], T0, T0 + HOUR);
    expect(sparse.points.map((p) => p.t)).toEqual([T0 + 40 * MIN]);
    // A stored sketch of zeros only is a point at 0, not a gap.
    expect(latencyChart([{ t: T0, latency: stored([0, 0]) }], T0, T0 + HOUR).points).toMatchObject([{ t: T0, count: 2, p50: 0 }]);
  });

  it("latency-chart - a handler's minutes come from its rollup buckets and its raw records, by outcome time; other handlers' are left out", () => {
    const record = (handler: string, t: number, duration_ms?: number): OutcomeRecord =>
      validOutcome({ id: String(t), handler, at: t, severity: "info", event: { subject: "x" }, duration_ms });
    const bucket = (t: number, durations: number[]) => ({
      t,
      total: durations.length,
      errored: 0,
      malformed: 0,
      severity: { info: durations.length, warn: 0, high: 0, critical: 0 },
      kinds: { logged: durations.length },
      latency: stored(durations),
    });
    const rollup = (handler: string, minute: number, durations: number[]) => ({
      v: 1 as const,
      minute,
      handler_id: handler,
      handlers_in_minute: 2,
      minute_last_seq: 1,
      total: durations.length,
      errored: 0,
      malformed: 0,
      severity: { info: durations.length, warn: 0, high: 0, critical: 0 },
      kinds: { logged: durations.length },
      last_t: minute,
      last_error_t: null,
      buckets: [bucket(minute, durations)],
      groups: [],
    });
    const minutes = handlerMinuteLatencies(
      [rollup("a", T0, [1, 2]), rollup("b", T0, [500])],
      [record("a", T0 + MIN + 5_000, 7), record("a", T0 + MIN + 9_000, 9), record("a", T0 + MIN, undefined), record("b", T0 + MIN, 900)],
      "a",
    );
    const chart = latencyChart(minutes, T0, T0 + HOUR);
    expect(chart.points.map((p) => [(p.t - T0) / MIN, p.count])).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(chart.points[1]!.p99).toBeLessThan(10);
  });
});
