import { describe, expect, it } from "vitest";
import { isLeaseExpired, leaseLockValue, leaseTimings, mustStepDown, nextPollDelay } from "./lease";
import { lockEventFrom, parseLockValue } from "./locks";
import { classifyHistory } from "./lock-transitions";

const t = leaseTimings(9_000);

describe("lease", () => {
  it("lease - renews three times and polls six times per lease", () => {
    expect(t).toEqual({ leaseMs: 9_000, renewMs: 3_000, pollMs: 1_500 });
  });

  it("lease - a lock is abandoned only once its last write is strictly older than the lease", () => {
    expect(isLeaseExpired(0, 9_000, 9_000)).toBe(false);
    expect(isLeaseExpired(0, 9_000, 9_001)).toBe(true);
  });

  it("lease - a passive replica looks again at its poll interval, or just after the holder's lease runs out", () => {
    expect(nextPollDelay(null, t, 0)).toBe(1_500);
    expect(nextPollDelay(0, t, 1_000)).toBe(1_500);
    expect(nextPollDelay(0, t, 8_500)).toBe(501); // expiry at 9,000: look at 9,001, not at 10,000
    expect(nextPollDelay(0, t, 20_000)).toBe(1);
  });

  it("lease - the holder steps down a renew interval before its lease could be taken over", () => {
    expect(mustStepDown(0, t, 5_999)).toBe(false);
    expect(mustStepDown(0, t, 6_000)).toBe(true);
  });

  it("lease - busdeck's lock value follows the lock contract, so the Failover view classifies it", () => {
    const value = leaseLockValue("pod-a:12", new Date("2026-11-23T12:00:00Z"), t);
    const parsed = parseLockValue(new TextEncoder().encode(JSON.stringify(value)));
    expect(parsed).toEqual({
      valid: true,
      value: { holder_id: "pod-a:12", acquired_at: "2026-11-23T12:00:00.000Z", ttl_s: 9, renew_interval_s: 3 },
    });
    const b = parseLockValue(new TextEncoder().encode(JSON.stringify(leaseLockValue("pod-b:7", new Date(), t))));
    const ev = (rev: number, s: number, v: typeof parsed) =>
      lockEventFrom(
        {
          bucket: "busdeck_fleet",
          key: "busdeck-sampler",
          op: "put",
          revision: rev,
          at: new Date(Date.UTC(2026, 10, 23, 12, 0, s)).toISOString(),
        },
        v,
      );
    const { transitions } = classifyHistory([ev(1, 0, parsed), ev(2, 3, parsed), ev(3, 13, b)], { maxAgeMs: null });
    expect(transitions.map((x) => x.kind)).toEqual(["acquire", "renew", "failover"]);
  });
});
