import { describe, expect, it } from "vitest";
import { MIN_SILENCE_MS, silenceOf, STEADY_MIN_OUTCOMES, STEADY_MIN_SPAN_MS, usualInterval } from "./silence";

const T0 = Date.parse("2026-12-07T10:00:00.000Z");
const MIN = 60_000;

/** `count` outcomes `every` ms apart from T0. */
const steady = (count: number, every: number) => ({ count, first_t: T0, last_t: T0 + (count - 1) * every });

describe("silent handlers", () => {
  it("silence - one a minute for 30 minutes: silent only past 10 minutes (10 × its interval) after the last", () => {
    const a = steady(31, MIN);
    expect(usualInterval(a)).toBe(MIN);
    expect(silenceOf(a, a.last_t + 10 * MIN)).toBeNull();
    expect(silenceOf(a, a.last_t + 10 * MIN + 1)).toEqual({
      since: new Date(a.last_t).toISOString(),
      usual_interval_ms: MIN,
      threshold_ms: 10 * MIN,
    });
  });

  it("silence - a fast handler still gets five minutes before it is called silent", () => {
    const a = steady(600, 1_000);
    expect(silenceOf(a, a.last_t + MIN_SILENCE_MS)).toBeNull();
    expect(silenceOf(a, a.last_t + MIN_SILENCE_MS + 1)?.threshold_ms).toBe(MIN_SILENCE_MS);
  });

  it("silence - too few outcomes, or all in one burst, is no steady rate: never silent", () => {
    const few = steady(STEADY_MIN_OUTCOMES - 1, MIN);
    expect(usualInterval(few)).toBeNull();
    expect(silenceOf(few, few.last_t + 24 * 60 * MIN)).toBeNull();
    const burst = { count: 500, first_t: T0, last_t: T0 + STEADY_MIN_SPAN_MS - 1 };
    expect(silenceOf(burst, burst.last_t + 24 * 60 * MIN)).toBeNull();
    const justSteady = { count: STEADY_MIN_OUTCOMES, first_t: T0, last_t: T0 + STEADY_MIN_SPAN_MS };
    expect(silenceOf(justSteady, justSteady.last_t + MIN_SILENCE_MS + 1)).not.toBeNull();
  });

  it("silence - a handler still producing (last outcome now, or later than now) is not silent", () => {
    const a = steady(100, MIN);
    expect(silenceOf(a, a.last_t)).toBeNull();
    expect(silenceOf(a, a.last_t - MIN)).toBeNull();
  });
});
