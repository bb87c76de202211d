import { describe, expect, it } from "vitest";
import { Rng, hashUnit, mulberry32 } from "./random";

describe("mulberry32 / Rng", () => {
  it("replays the same sequence for the same seed and differs across seeds", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it("forks by label, independent of how much the parent has drawn", () => {
    const p1 = new Rng(7);
    const p2 = new Rng(7);
    p2.float();
    p2.float();
    expect(p1.fork("memory").float()).toBe(p2.fork("memory").float());
    expect(p1.fork("memory").float()).not.toBe(p1.fork("routing").float());
  });

  it("keeps int/range within bounds and covers both ends of int", () => {
    const r = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const n = r.int(2, 5);
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(5);
      seen.add(n);
      const x = r.range(-1, 1);
      expect(x >= -1 && x < 1).toBe(true);
    }
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
  });

  it("honours weights roughly", () => {
    const r = new Rng(3);
    let a = 0;
    for (let i = 0; i < 10_000; i++)
      if (
        r.weighted([
          ["a", 3],
          ["b", 1],
        ] as const) === "a"
      )
        a++;
    expect(a / 10_000).toBeGreaterThan(0.7);
    expect(a / 10_000).toBeLessThan(0.8);
  });

  it("draws v4-shaped uuids reproducibly", () => {
    const id = new Rng(9).uuid();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Rng(9).uuid()).toBe(id);
  });

  it("has an exponential mean close to the requested one", () => {
    const r = new Rng(5);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += r.exponential(100);
    expect(sum / 20_000).toBeGreaterThan(95);
    expect(sum / 20_000).toBeLessThan(105);
  });
});

describe("hashUnit", () => {
  it("is stable per key and spreads consecutive keys evenly", () => {
    expect(hashUnit("s:1", 42)).toBe(hashUnit("s:1", 42));
    expect(hashUnit("s:1", 42)).not.toBe(hashUnit("s:1", 43));
    // Consecutive sequence numbers must not cluster (plain FNV did, putting all "poison" messages late).
    const buckets = new Array(10).fill(0);
    for (let seq = 1; seq <= 5000; seq++) buckets[Math.floor(hashUnit(`llm-requests:${seq}`, 42) * 10)]++;
    for (const b of buckets) expect(b).toBeGreaterThan(400);
  });
});
