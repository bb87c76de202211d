import { describe, expect, it } from "vitest";
import type { SeriesPoint } from "../../lib/consumers/series";
import { ConsumerHistory, SeriesRing } from "./history";

const point = (t: number, lag: number): SeriesPoint => ({ t, lag_msgs: lag, lag_seconds: lag / 10, consume_per_s: null, ingest_per_s: 2 });

describe("consumer history", () => {
  it("history ring - keeps the newest points up to capacity, growing its columns as needed", () => {
    const ring = new SeriesRing(100, 4);
    for (let i = 0; i < 250; i++) ring.push(point(i, i));
    expect(ring.length).toBe(100);
    expect(ring.at(0).t).toBe(150);
    expect(ring.last()).toEqual(point(249, 249));
    expect(ring.tail("lag_msgs", 3)).toEqual([247, 248, 249]);
    expect(ring.since(245).map((p) => p.t)).toEqual([245, 246, 247, 248, 249]);
  });

  it("history ring - a tail that already holds the newest values is handed back, a stale one is not", () => {
    const ring = new SeriesRing(4);
    for (let i = 0; i < 6; i++) ring.push(point(i, i));
    const tail = ring.tail("lag_msgs", 3);
    expect(ring.tail("lag_msgs", 3, tail)).toBe(tail);
    expect(ring.tail("lag_msgs", 3, [3, 4, 9])).toEqual([3, 4, 5]);
    expect(ring.tail("lag_msgs", 3, [4, 5])).toEqual([3, 4, 5]);
    ring.push(point(6, 6));
    expect(ring.tail("lag_msgs", 3, tail)).toEqual([4, 5, 6]);
  });

  it("history ring - nulls survive the round trip through the numeric columns", () => {
    const ring = new SeriesRing(4);
    ring.push({ t: 1, lag_msgs: 0, lag_seconds: null, consume_per_s: null, ingest_per_s: null });
    expect(ring.at(0)).toEqual({ t: 1, lag_msgs: 0, lag_seconds: null, consume_per_s: null, ingest_per_s: null });
  });

  it("history - raw samples for the last hour, one-minute buckets beyond, bounded overall", () => {
    const h = new ConsumerHistory({ intervalMs: 1_000, rawSpanMs: 60_000, coarseSpanMs: 10 * 60_000 });
    const end = 30 * 60_000; // 30 min of 1 s samples; raw keeps ~66 s, coarse keeps 10 buckets
    for (let t = 0; t < end; t += 1_000) h.add(point(t, t === 20 * 60_000 + 5_000 ? 9_999 : 1));
    const recent = h.query(end - 30_000, 1_000);
    expect(recent).toHaveLength(30);
    const all = h.query(0, 1_000);
    expect(all.length).toBeLessThanOrEqual(10 + 67);
    expect(all[0]!.t).toBeGreaterThanOrEqual(end - 11 * 60_000);
    // the spike inside a downsampled minute is kept (lag = max of the bucket)
    expect(Math.max(...all.map((p) => p.lag_msgs))).toBe(9_999);
    expect(h.query(0, 20).length).toBeLessThanOrEqual(20);
  });

  it("history - a closed minute's coarse point is the max lag and mean rates of its points", () => {
    const h = new ConsumerHistory({ intervalMs: 1_000, rawSpanMs: 60_000 });
    for (let t = 0; t < 180_000; t += 1_000)
      h.add({ t, lag_msgs: t / 1_000, lag_seconds: t / 10_000, consume_per_s: (t / 1_000) % 2 ? 3 : 1, ingest_per_s: 2 });
    // the raw ring holds the newest 67 points (from 113 s); the first minute is one coarse point
    expect(h.query(0, 1_000)[0]).toEqual({ t: 59_000, lag_msgs: 59, lag_seconds: 5.9, consume_per_s: 2, ingest_per_s: 2 });
    expect(h.query(0, 1_000)[1]!.t).toBe(113_000);
  });
});
