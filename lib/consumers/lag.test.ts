import { describe, expect, it } from "vitest";
import { ageSeconds, appendSeqTime, interpolatePublishTime, type SeqTimePoint } from "./lag";
import { downsample, type SeriesPoint } from "./series";

const series: SeqTimePoint[] = [
  { seq: 100, ts: 10_000 },
  { seq: 110, ts: 11_000 },
  { seq: 130, ts: 12_000 },
];

describe("consumer lag seconds", () => {
  it("lag interpolation - a sampled last message is exact", () => {
    expect(interpolatePublishTime(series, 110)).toBe(11_000);
  });

  it("lag interpolation - linear between the samples around the sequence", () => {
    expect(interpolatePublishTime(series, 120)).toBe(11_500);
    expect(interpolatePublishTime(series, 101)).toBe(10_100);
  });

  it("lag interpolation - unknown before the series or beyond the newest stored message", () => {
    expect(interpolatePublishTime(series, 99)).toBeNull();
    expect(interpolatePublishTime(series, 131)).toBeNull();
    expect(interpolatePublishTime([], 1)).toBeNull();
  });

  it("lag interpolation - the stream's first message anchors the time before the series", () => {
    const first = { seq: 1, ts: 1_000 };
    expect(interpolatePublishTime(series, 1, first)).toBe(1_000);
    expect(interpolatePublishTime(series, 34, first)).toBe(4_000); // a third of the way from seq 1 to 100
    expect(interpolatePublishTime(series, 120, first)).toBe(11_500); // within the series: as without an anchor
    expect(interpolatePublishTime([], 1, first)).toBe(1_000);
    expect(interpolatePublishTime([], 2, first)).toBeNull();
    expect(interpolatePublishTime(series, 0, first)).toBeNull();
  });

  it("lag series - appends new sequences, skips repeats, bounds capacity, restarts on a recreated stream", () => {
    let s: SeqTimePoint[] = [];
    s = appendSeqTime(s, { seq: 1, ts: 1 }, 3);
    s = appendSeqTime(s, { seq: 1, ts: 2 }, 3);
    expect(s).toEqual([{ seq: 1, ts: 1 }]);
    for (const seq of [2, 3, 4]) s = appendSeqTime(s, { seq, ts: seq }, 3);
    expect(s.map((p) => p.seq)).toEqual([2, 3, 4]);
    expect(appendSeqTime(s, { seq: 1, ts: 9 }, 3)).toEqual([{ seq: 1, ts: 9 }]);
  });

  it("lag age - seconds since publish, never negative under clock skew", () => {
    expect(ageSeconds(1_000, 3_500)).toBe(2.5);
    expect(ageSeconds(5_000, 3_500)).toBe(0);
  });
});

describe("consumer series", () => {
  const pts: SeriesPoint[] = Array.from({ length: 10 }, (_, i) => ({
    t: i,
    lag_msgs: i === 3 ? 99 : i,
    lag_seconds: i === 0 ? null : i / 10,
    consume_per_s: i,
    ingest_per_s: null,
  }));

  it("series downsample - keeps short series as they are", () => {
    expect(downsample(pts, 10)).toEqual(pts);
  });

  it("series downsample - buckets keep lag spikes (max) and average rates", () => {
    const out = downsample(pts, 3);
    expect(out).toHaveLength(3);
    expect(out[0]).toEqual({ t: 3, lag_msgs: 99, lag_seconds: 0.3, consume_per_s: 1.5, ingest_per_s: null });
    expect(out[2]!.t).toBe(9);
  });
});
