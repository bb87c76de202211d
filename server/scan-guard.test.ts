import { describe, expect, it } from "vitest";
import { ScanGuard } from "./scan-guard";

const limits = { maxConcurrent: 3, maxConcurrentPerAddress: 2, startsPerMinute: 4 };

describe("scan guard - limits", () => {
  it("caps running scans per address and releases slots", () => {
    const guard = new ScanGuard(limits, () => 0);
    const a = guard.admit("10.0.0.1");
    const b = guard.admit("10.0.0.1");
    const c = guard.admit("10.0.0.1");
    expect([a.ok, b.ok, c.ok]).toEqual([true, true, false]);
    if (!c.ok) expect(c.reason).toMatch(/too many running scans from 10\.0\.0\.1 \(2\)/);
    if (a.ok) a.release();
    expect(guard.admit("10.0.0.1").ok).toBe(true);
  });

  it("caps running scans in total across addresses", () => {
    const guard = new ScanGuard(limits, () => 0);
    expect(["a", "b", "c"].map((addr) => guard.admit(addr).ok)).toEqual([true, true, true]);
    const refused = guard.admit("d");
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.reason).toMatch(/too many running scans \(3\)/);
  });

  it("limits how often one address starts scans and refills over time", () => {
    let now = 0;
    const guard = new ScanGuard({ ...limits, maxConcurrentPerAddress: 100, maxConcurrent: 100 }, () => now);
    const starts = Array.from({ length: 5 }, () => guard.admit("10.0.0.2"));
    expect(starts.map((s) => s.ok)).toEqual([true, true, true, true, false]);
    const refused = starts[4]!;
    if (!refused.ok) {
      expect(refused.reason).toMatch(/4 a minute/);
      expect(refused.retryAfterS).toBe(15); // one token every 15 s at 4 a minute
    }
    expect(guard.admit("10.0.0.3").ok).toBe(true); // other addresses have their own bucket
    now = 15_000;
    expect(guard.admit("10.0.0.2").ok).toBe(true);
    expect(guard.admit("10.0.0.2").ok).toBe(false);
  });

  it("a refused start does not use up a token", () => {
    const now = 0;
    const guard = new ScanGuard({ maxConcurrent: 1, maxConcurrentPerAddress: 1, startsPerMinute: 2 }, () => now);
    const running = guard.admit("x");
    expect(guard.admit("x").ok).toBe(false); // busy, not rate-limited
    if (running.ok) running.release();
    expect(guard.admit("x").ok).toBe(true); // the second token is still there
  });
});
