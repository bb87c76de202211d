import { describe, expect, it } from "vitest";
import { backoffSchedule, retryDelayMs } from "./backoff";

describe("alert back-off", () => {
  it("back-off - doubles from the base, capped, and stops after the last attempt", () => {
    const policy = { baseMs: 100, maxMs: 1_000, maxAttempts: 7 };
    expect(backoffSchedule(policy)).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(retryDelayMs(7, policy)).toBeNull();
  });

  it("back-off - one attempt allowed means no retry at all", () => {
    expect(backoffSchedule({ baseMs: 100, maxMs: 1_000, maxAttempts: 1 })).toEqual([]);
  });
});
