/**
 * The chaos run of `npm run chaos` (testing/chaos/harness.ts), short: two minutes of faults with a fixed seed on
 * a 3-node cluster with three busdeck replicas (the production build in .next-chaos, built first when missing),
 * then every check read through each replica's own HTTP API must hold. `npm run test:chaos`; not in `npm test` yet.
 */
import { describe, expect, it } from "vitest";
import { ensureChaosBuild, runChaos } from "../testing/chaos/harness";
import { FAULT_KINDS } from "../testing/chaos/schedule";

describe("chaos", () => {
  it("chaos - after two minutes of killed nodes, replicas and publisher connections every count reconciles on every replica", async () => {
    ensureChaosBuild();
    const result = await runChaos({ minutes: 2, seed: 31, rate: 200, settleMs: 60_000, logDir: process.env.CHAOS_LOG_DIR });
    const failed = result.checks.filter((c) => !c.ok && !c.na).map((c) => `${c.replica} ${c.name}: expected ${c.expected}, got ${c.got}`);
    expect(failed).toEqual([]);
    // every kind of fault happened, and was recovered from
    expect(new Set(result.faults.map((f) => f.kind))).toEqual(new Set(FAULT_KINDS));
    expect(result.faults.filter((f) => f.error || f.restored_ms === null)).toEqual([]);
    expect(result.published.acked).toBe(result.published.issued);
    expect(result.published.acked).toBeGreaterThan(10_000);
    expect(result.lockTransitions.some((t) => t.kind === "failover")).toBe(true);
    // each of the three replicas answered each check
    expect(new Set(result.checks.map((c) => c.replica)).size).toBe(3);
    expect(result.ok).toBe(true);
  }, 240_000);
});
