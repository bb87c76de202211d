import { describe, expect, it } from "vitest";
import { findingId, type FindingCondition, type FindingEntityKind } from "./finding";
import { findingsSnapshot, initialFindingsState, stepFindings, type FindingsState, type HysteresisConfig } from "./hysteresis";

const CFG: HysteresisConfig = { openAfter: 3, resolveAfter: 2, keepResolved: 5 };
const ALL = new Set<FindingEntityKind>(["consumer", "stream", "handler", "singleton"]);
const at = (i: number) => new Date(Date.UTC(2026, 10, 23, 12, 0, i)).toISOString();

const stall = (consumer: string, severity: FindingCondition["severity"] = "critical"): FindingCondition => {
  const entity = { kind: "consumer" as const, stream: "ORDERS", consumer };
  return {
    id: findingId(entity, "consumer_health"),
    severity,
    entity,
    rule: "consumer_health",
    evidence: "STALL",
    link: `/consumers/ORDERS/${consumer}`,
  };
};

/** Runs one evaluation per entry (true: the condition holds) and returns every step. */
function run(pattern: boolean[], judged = ALL, start: FindingsState = initialFindingsState()) {
  let state = start;
  return pattern.map((holds, i) => {
    const step = stepFindings(state, holds ? [stall("billing")] : [], judged, at(i), CFG);
    state = step.state;
    return step;
  });
}

describe("findings hysteresis", () => {
  it("findings - opens on the Nth evaluation in a row, not before, with since = the first", () => {
    const steps = run([true, true, true]);
    expect(steps.map((s) => s.opened.length)).toEqual([0, 0, 1]);
    expect(steps[2]!.opened[0]).toMatchObject({ state: "open", since: at(0), resolved_at: null });
    expect(findingsSnapshot(steps[1]!.state, at(1)).open).toEqual([]);
    expect(findingsSnapshot(steps[2]!.state, at(2)).open.map((f) => f.id)).toEqual(["consumer_health:consumer:ORDERS/billing"]);
  });

  it("findings - resolves on the Mth clear evaluation in a row, and keeps it as recently resolved", () => {
    const steps = run([true, true, true, false, false]);
    expect(steps.map((s) => s.resolved.length)).toEqual([0, 0, 0, 0, 1]);
    const snapshot = findingsSnapshot(steps[4]!.state, at(4));
    expect(snapshot.open).toEqual([]);
    expect(snapshot.resolved[0]).toMatchObject({ state: "resolved", since: at(0), resolved_at: at(4) });
  });

  it("findings - a condition that alternates never opens", () => {
    const steps = run([true, false, true, false, true, false, true, true, false]);
    expect(steps.flatMap((s) => s.opened)).toEqual([]);
  });

  it("findings - an open finding whose condition alternates never resolves, and keeps its since", () => {
    const steps = run([true, true, true, false, true, false, true, false, true]);
    expect(steps.flatMap((s) => s.resolved)).toEqual([]);
    expect(steps.flatMap((s) => s.opened)).toHaveLength(1);
    expect(findingsSnapshot(steps.at(-1)!.state, at(9)).open[0]!.since).toBe(at(0));
  });

  it("findings - an entity kind not judged (its source degraded) neither opens nor resolves", () => {
    const open = run([true, true, true]).at(-1)!.state;
    const held = run([false, false, false], new Set(["stream"]), open);
    expect(held.flatMap((s) => s.resolved)).toEqual([]);
    expect(findingsSnapshot(held.at(-1)!.state, at(3)).open).toHaveLength(1);
  });

  it("findings - open findings are worst first, then oldest first; resolved are bounded, newest first", () => {
    let state = initialFindingsState();
    for (let i = 0; i < 3; i++) state = stepFindings(state, [stall("a", "warning"), stall("b")], ALL, at(i), CFG).state;
    for (let i = 3; i < 6; i++) state = stepFindings(state, [stall("a", "warning"), stall("b"), stall("c")], ALL, at(i), CFG).state;
    expect(findingsSnapshot(state, at(6)).open.map((f) => [f.entity.kind === "consumer" && f.entity.consumer, f.severity])).toEqual([
      ["b", "critical"],
      ["c", "critical"],
      ["a", "warning"],
    ]);
    for (let i = 6; i < 8; i++) state = stepFindings(state, [], ALL, at(i), { ...CFG, keepResolved: 2 }).state;
    expect(findingsSnapshot(state, at(8)).resolved).toHaveLength(2);
  });

  it("findings - an open finding whose severity changes is reported once per change, with what it was; a pending one is not", () => {
    const open = run([true, true, true]).at(-1)!.state;
    const toWarning = stepFindings(open, [stall("billing", "warning")], ALL, at(3), CFG);
    expect(toWarning.changed).toEqual([{ finding: expect.objectContaining({ severity: "warning", since: at(0) }), previous: "critical" }]);
    expect(toWarning.opened).toEqual([]);
    expect(stepFindings(toWarning.state, [stall("billing", "warning")], ALL, at(4), CFG).changed).toEqual([]);
    const pending = stepFindings(initialFindingsState(), [stall("billing")], ALL, at(0), CFG).state;
    expect(stepFindings(pending, [stall("billing", "warning")], ALL, at(1), CFG).changed).toEqual([]);
  });

  it("findings - an open finding takes the latest evidence and severity", () => {
    let state = run([true, true, true]).at(-1)!.state;
    state = stepFindings(state, [{ ...stall("billing", "warning"), evidence: "WARN now" }], ALL, at(3), CFG).state;
    expect(findingsSnapshot(state, at(3)).open[0]).toMatchObject({ severity: "warning", evidence: "WARN now", since: at(0) });
  });

  it("findings - an open finding whose condition did not change is the same object in the next snapshot; a changed one is new", () => {
    let state = initialFindingsState();
    const snapshots = [
      stall("billing"),
      stall("billing"),
      stall("billing"),
      stall("billing"),
      { ...stall("billing"), evidence: "STOP" },
    ].map((c, i) => {
      state = stepFindings(state, [c, stall("audit")], ALL, at(i), CFG).state;
      return findingsSnapshot(state, at(i));
    });
    const billing = (k: number) => snapshots[k]!.open.find((f) => f.id.endsWith("/billing"))!;
    expect(billing(3)).toBe(billing(2));
    expect(billing(4)).not.toBe(billing(3));
    expect(billing(4)).toMatchObject({ evidence: "STOP", since: at(0), state: "open", resolved_at: null });
    expect(snapshots[4]!.open.find((f) => f.id.endsWith("/audit"))).toBe(snapshots[2]!.open.find((f) => f.id.endsWith("/audit")));
  });

  it("findings - open findings sorted worst first, then oldest, then by id in localeCompare's order", () => {
    let state = initialFindingsState();
    const names = ["b", "B", "a_1", "a-2", "A", "ä", "z"];
    for (let i = 0; i < 3; i++)
      state = stepFindings(state, [...names.map((n) => stall(n)), { ...stall("warned", "warning") }], ALL, at(i), CFG).state;
    const ids = findingsSnapshot(state, at(3)).open.map((f) => f.id);
    const expected = names.map((n) => stall(n).id).sort((a, b) => a.localeCompare(b));
    expect(ids).toEqual([...expected, stall("warned").id]);
  });
});
