import { describe, expect, it } from "vitest";
import { LockValueSchema, parseLockValue } from "../../lib/failover/locks";
import { DEFAULT_DEMO_TIMINGS } from "./timings";
import { TENURE_ENDS, isExpired, lockValue } from "./singletons";

describe("singleton lock values", () => {
  it("serialises exactly the documented JSON", () => {
    const v = lockValue("dedup-0", new Date("2026-11-23T12:00:00.000Z"), DEFAULT_DEMO_TIMINGS);
    expect(JSON.stringify(v)).toBe('{"holder_id":"dedup-0","acquired_at":"2026-11-23T12:00:00.000Z","ttl_s":6,"renew_interval_s":2}');
    expect(LockValueSchema.safeParse(v).success).toBe(true);
    expect(parseLockValue(new TextEncoder().encode(JSON.stringify(v)))).toEqual({ valid: true, value: v });
  });

  it("treats a lock as abandoned only once its last write is older than the ttl", () => {
    const written = new Date(10_000);
    expect(isExpired(written, 6_000, 15_999)).toBe(false);
    expect(isExpired(written, 6_000, 16_000)).toBe(false);
    expect(isExpired(written, 6_000, 16_001)).toBe(true);
  });

  it("ends tenures mostly by crash, sometimes by handover or pause", () => {
    const total = TENURE_ENDS.reduce((s, [, w]) => s + w, 0);
    expect(total).toBeCloseTo(1);
    expect(TENURE_ENDS.map(([e]) => e).sort()).toEqual(["crash", "pause", "release"]);
  });
});
