import { describe, expect, it } from "vitest";
import { appendPoint, meanRates, pointsInRange, ratePoint, type RatePoint } from "./rate-history";

const p = (t: number): RatePoint => ({ t, msgs_per_s: 1, bytes_per_s: 10, messages: t, bytes: t * 10 });

describe("stream-history", () => {
  it("stream-history - keeps at most capacity points, dropping the oldest", () => {
    const s: RatePoint[] = [];
    for (let t = 1; t <= 10; t++) appendPoint(s, p(t), 4);
    expect(s.map((x) => x.t)).toEqual([7, 8, 9, 10]);
  });

  it("stream-history - ignores a repeated or older sample", () => {
    const s = [p(5)];
    appendPoint(s, p(5));
    appendPoint(s, p(4));
    expect(s).toHaveLength(1);
  });

  it("stream-history - range selects the trailing window", () => {
    const s = [p(1000), p(2000), p(3000), p(4000)];
    expect(pointsInRange(s, 1500, 4000).map((x) => x.t)).toEqual([3000, 4000]);
    expect(pointsInRange(s, 10_000, 4000)).toHaveLength(4);
    expect(pointsInRange([], 1000, 4000)).toEqual([]);
  });

  it("stream-history - a sample without rates makes no point", () => {
    const state = {
      messages: 1,
      bytes: 2,
      first_seq: 1,
      last_seq: 1,
      first_ts: null,
      last_ts: null,
      num_subjects: 1,
      num_deleted: 0,
      consumer_count: 0,
    };
    expect(ratePoint({ sampled_at: "2026-11-23T12:00:00Z", rates: null, state })).toBeNull();
    expect(ratePoint({ sampled_at: "2026-11-23T12:00:00Z", rates: { msgs_per_s: 3, bytes_per_s: 4 }, state })).toEqual({
      t: Date.parse("2026-11-23T12:00:00Z"),
      msgs_per_s: 3,
      bytes_per_s: 4,
      messages: 1,
      bytes: 2,
    });
  });

  it("stream-history - mean rates over a range", () => {
    expect(meanRates([])).toBeNull();
    expect(
      meanRates([
        { ...p(1), msgs_per_s: 2, bytes_per_s: 20 },
        { ...p(2), msgs_per_s: 4, bytes_per_s: 40 },
      ]),
    ).toEqual({ msgs_per_s: 3, bytes_per_s: 30 });
  });
});
