import { describe, expect, it } from "vitest";
import type { ConsumerSample } from "./health";
import { SampleWindow, emptySample } from "./sample-window";

const sample = (at: number, over: Partial<ConsumerSample> = {}): ConsumerSample => ({
  ...emptySample(),
  at,
  lag: 5,
  ack_floor: 10,
  delivered: 15,
  created: 1_000,
  ...over,
});

describe("SampleWindow", () => {
  it("keeps the newest samples up to its capacity, oldest first, with every field", () => {
    const w = new SampleWindow(3);
    for (let k = 1; k <= 5; k++)
      w.push(
        sample(k * 1_000, {
          lag: k,
          last_active: k === 4 ? null : k * 100,
          max_ack_pending: 7,
          redelivered: k,
          ack_pending: 2,
          stream_last_seq: 20 + k,
        }),
      );
    expect(w.length).toBe(3);
    expect(w.newest(10)).toEqual(
      [3, 4, 5].map((k) =>
        sample(k * 1_000, {
          lag: k,
          last_active: k === 4 ? null : k * 100,
          max_ack_pending: 7,
          redelivered: k,
          ack_pending: 2,
          stream_last_seq: 20 + k,
        }),
      ),
    );
    expect(w.newest(2).map((s) => s.at)).toEqual([4_000, 5_000]);
    expect(w.read(0).at).toBe(3_000);
  });

  it("fills the window array it is given, reusing its objects and trimming it to the samples there are", () => {
    const w = new SampleWindow(4);
    for (let k = 1; k <= 3; k++) w.push(sample(k, { lag: k }));
    const out = w.newest(2);
    const objects = [...out];
    for (let k = 4; k <= 6; k++) w.push(sample(k, { lag: k }));
    expect(w.newest(2, out)).toBe(out);
    expect(out.map((s) => s.lag)).toEqual([5, 6]);
    expect(out[0]).toBe(objects[0]);
    expect(w.newest(4, out).map((s) => s.lag)).toEqual([3, 4, 5, 6]);
    expect(new SampleWindow(4).newest(3, out)).toEqual([]);
  });

  it("reads into the object it is given", () => {
    const w = new SampleWindow(2);
    w.push(sample(1, { lag: 9 }));
    const into = emptySample();
    expect(w.read(0, into)).toBe(into);
    expect(into.lag).toBe(9);
  });

  it("says whether a sample's data equal the previous one's, times aside (never active equals never active)", () => {
    const w = new SampleWindow(4);
    expect(w.push(sample(1))).toBe(false);
    expect(w.push(sample(2))).toBe(true);
    expect(w.push(sample(3, { last_active: 5 }))).toBe(false);
    expect(w.push(sample(4, { last_active: 5 }))).toBe(true);
    expect(w.push(sample(5, { last_active: 5, created: 2_000 }))).toBe(false);
    // and after the ring wrapped
    expect(w.push(sample(6, { last_active: 5, created: 2_000 }))).toBe(true);
    expect(w.push(sample(7, { last_active: 5, created: 2_000, stream_last_seq: 1 }))).toBe(false);
  });

  it("spans the newest n samples", () => {
    const w = new SampleWindow(5);
    expect(w.span(3)).toBe(0);
    w.push(sample(1_000));
    expect(w.span(3)).toBe(0);
    for (const at of [2_000, 4_000, 7_000, 11_000, 16_000]) w.push(sample(at));
    expect(w.span(3)).toBe(16_000 - 7_000);
    expect(w.span(10)).toBe(16_000 - 2_000);
  });

  it("gives the lags, or the previous array while they are unchanged", () => {
    const w = new SampleWindow(3);
    for (const lag of [1, 2, 3, 4]) w.push(sample(lag, { lag }));
    const lags = w.lags();
    expect(lags).toEqual([2, 3, 4]);
    expect(w.lags(lags)).toBe(lags);
    expect(w.lags([2, 3, 5])).toEqual([2, 3, 4]);
    expect(w.lags([3, 4])).toEqual([2, 3, 4]);
  });
});
