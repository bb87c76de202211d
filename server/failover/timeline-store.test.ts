import { describe, expect, it } from "vitest";
import type { TimelineEntry } from "../../lib/failover/timeline";
import type { LockTransition } from "../../lib/failover/lock-transitions";
import { TimelineStore } from "./timeline-store";

const T0 = Date.parse("2026-11-23T12:00:00Z");
const lock = (s: number, kind: LockTransition["kind"], key = "dedup", revision = s): TimelineEntry => ({
  source: "lock",
  transition: {
    bucket: "locks",
    key,
    kind,
    holder: "a",
    previous_holder: null,
    revision,
    at: new Date(T0 + s * 1000).toISOString(),
    previous_write_at: null,
    gap_ms: null,
    split_brain: false,
    ttl_s: null,
    renew_interval_s: null,
  },
});
const leader = (s: number): TimelineEntry => ({
  source: "jetstream",
  leader: { kind: "stream_leader", stream: "S", consumer: null, leader: "n1", at: new Date(T0 + s * 1000).toISOString() },
});
const times = (es: TimelineEntry[]) =>
  es.map((e) => (e.source === "lock" ? e.transition.at : e.leader.at)).map((at) => (Date.parse(at) - T0) / 1000);

describe("timeline store", () => {
  it("timeline store - keeps time order for late arrivals and drops duplicates", () => {
    const s = new TimelineStore();
    expect(s.add(lock(5, "acquire"))).toBe(true);
    s.add(lock(1, "acquire", "llm"));
    s.add(leader(3));
    expect(s.add(lock(5, "acquire"))).toBe(false);
    expect(times(s.query({ from: T0, to: T0 + 10_000 }).entries)).toEqual([1, 3, 5]);
  });

  it("timeline store - range, key filter (leader changes stay) and limit", () => {
    const s = new TimelineStore();
    [lock(1, "acquire"), lock(2, "acquire", "llm"), leader(3), lock(4, "failover")].forEach((e) => s.add(e));
    expect(times(s.query({ from: T0 + 2_000, to: T0 + 3_000 }).entries)).toEqual([2, 3]);
    expect(times(s.query({ from: T0, to: T0 + 9_000, key: "dedup" }).entries)).toEqual([1, 3, 4]);
    expect(s.query({ from: T0, to: T0 + 9_000, limit: 2 })).toMatchObject({ truncated: true });
  });

  it("timeline store - bounded by count and age", () => {
    const s = new TimelineStore({ maxEntries: 2, maxAgeMs: 10_000 });
    [lock(1, "acquire"), lock(2, "failover"), lock(3, "failover")].forEach((e) => s.add(e));
    expect(times(s.query({ from: 0, to: T0 + 9e9 }).entries)).toEqual([2, 3]);
    s.prune(T0 + 12_500);
    expect(times(s.query({ from: 0, to: T0 + 9e9 }).entries)).toEqual([3]);
    expect(s.add(lock(1, "acquire"))).toBe(true); // its id was forgotten with it
  });

  it("timeline store - the last tenure transition per key resumes the classifier; late renews do not", () => {
    const s = new TimelineStore();
    [lock(1, "acquire"), lock(4, "failover"), lock(6, "late_renew")].forEach((e) => s.add(e));
    expect(s.lastLockTransitions().get("locks/dedup")?.kind).toBe("failover");
  });
});
