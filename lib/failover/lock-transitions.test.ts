import { describe, expect, it } from "vitest";
import type { LockEvent } from "./locks";
import { lockEventFrom, parseLockValue } from "./locks";
import {
  applyLockEvent,
  classifyHistory,
  countFailovers,
  estimateClockOffset,
  expireIfDue,
  flappingMarks,
  leaseHealth,
  newKeyTrack,
  singletonState,
  singletonStatus,
  summarizeFailovers,
  type LockTransition,
} from "./lock-transitions";

const T0 = Date.parse("2026-11-23T12:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const enc = (s: string) => new TextEncoder().encode(s);
const json = (holder: string, extra: Record<string, unknown> = { ttl_s: 6, renew_interval_s: 2 }) =>
  JSON.stringify({ holder_id: holder, ...extra });

let rev = 0;
/** One KV entry as the watcher would turn it into an event. */
const put = (s: number, value: string, key = "dedup", revision = ++rev): LockEvent =>
  lockEventFrom({ bucket: "locks", key, op: "put", revision, at: at(s) }, parseLockValue(enc(value)));
const del = (s: number, key = "dedup", revision = ++rev): LockEvent =>
  lockEventFrom({ bucket: "locks", key, op: "del", revision, at: at(s) }, null);

const kinds = (ts: LockTransition[]) => ts.map((t) => t.kind);
const noAge = { maxAgeMs: null };

describe("lock transitions", () => {
  it("lock transitions - first write is an acquire, same holder again is a renew", () => {
    const { transitions } = classifyHistory([put(0, json("a")), put(2, json("a")), put(4, json("a"))], noAge);
    expect(kinds(transitions)).toEqual(["acquire", "renew", "renew"]);
    expect(transitions[0]).toMatchObject({ holder: "a", previous_holder: null, gap_ms: null });
  });

  it("lock transitions - another holder while held is a failover with the gap from the old holder's last renew", () => {
    const { transitions } = classifyHistory([put(0, json("a")), put(2, json("a")), put(9, json("b"))], noAge);
    expect(kinds(transitions)).toEqual(["acquire", "renew", "failover"]);
    expect(transitions[2]).toMatchObject({ holder: "b", previous_holder: "a", previous_write_at: at(2), gap_ms: 7000, split_brain: false });
  });

  it("lock transitions - delete then another holder is a release and a handover timed from the delete", () => {
    const { transitions } = classifyHistory([put(0, json("a")), del(3), put(4.5, json("b"))], noAge);
    expect(kinds(transitions)).toEqual(["acquire", "release", "handover"]);
    expect(transitions[1]).toMatchObject({ holder: null, previous_holder: "a" });
    expect(transitions[2]).toMatchObject({ holder: "b", previous_holder: "a", gap_ms: 1500, split_brain: false });
  });

  it("lock transitions - purge is a release; the same holder coming back is an acquire, not a handover", () => {
    const first = put(0, json("a"));
    const purge: LockEvent = { bucket: "locks", key: "dedup", op: "purge", holder: null, revision: ++rev, at: at(3) };
    const { transitions } = classifyHistory([first, purge, put(5, json("a"))], noAge);
    expect(kinds(transitions)).toEqual(["acquire", "release", "acquire"]);
  });

  it("lock transitions - a key older than the bucket's max age expires at last write + max age", () => {
    const track = newKeyTrack("locks", "dedup");
    applyLockEvent(track, put(0, json("a")), { maxAgeMs: 10_000 });
    expect(expireIfDue(track, T0 + 9_000, 10_000)).toEqual([]);
    const expired = expireIfDue(track, T0 + 12_000, 10_000);
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ kind: "expired", previous_holder: "a", holder: null, at: at(10) });
    expect(expireIfDue(track, T0 + 13_000, 10_000)).toEqual([]); // idempotent
  });

  it("lock transitions - a write after an unseen expiry emits the expiry first, then a failover to the new holder", () => {
    const { transitions } = classifyHistory([put(0, json("a")), put(30, json("b"))], { maxAgeMs: 10_000 });
    expect(kinds(transitions)).toEqual(["acquire", "expired", "failover"]);
    expect(transitions[2]).toMatchObject({ previous_holder: "a", gap_ms: 30_000, split_brain: false });
  });

  it("lock transitions - classifyHistory with now expires keys still held past the max age", () => {
    const { transitions, tracks } = classifyHistory([put(0, json("a"))], { maxAgeMs: 5_000 }, T0 + 6_000);
    expect(kinds(transitions)).toEqual(["acquire", "expired"]);
    expect(tracks.get("locks/dedup")!.holder).toBeNull();
  });

  it("lock transitions - out-of-order and duplicate revisions classify like the ordered history", () => {
    const a1 = put(0, json("a"), "dedup", 10);
    const a2 = put(2, json("a"), "dedup", 11);
    const b1 = put(9, json("b"), "dedup", 12);
    const ordered = classifyHistory([a1, a2, b1], noAge).transitions;
    const shuffled = classifyHistory([b1, a1, a2, a1, b1], noAge).transitions;
    expect(shuffled).toEqual(ordered);
  });

  it("lock transitions - live events at or below the last revision are ignored and counted", () => {
    const track = newKeyTrack("locks", "dedup");
    applyLockEvent(track, put(0, json("a"), "dedup", 5), noAge);
    expect(applyLockEvent(track, put(0, json("a"), "dedup", 5), noAge)).toEqual([]);
    expect(applyLockEvent(track, put(9, json("b"), "dedup", 3), noAge)).toEqual([]);
    expect(track.ignored).toBe(2);
    expect(track.holder).toBe("a");
  });

  it("lock transitions - a malformed value is surfaced raw and does not change the holder", () => {
    const { transitions, tracks } = classifyHistory([put(0, json("a")), put(1, "{not json"), put(2, json("a"))], noAge);
    expect(kinds(transitions)).toEqual(["acquire", "malformed", "renew"]);
    expect(transitions[1]).toMatchObject({ holder: "a", raw: "{not json" });
    expect(transitions[1]!.warning).toMatch(/not JSON/);
    expect(tracks.get("locks/dedup")!.warning).toBeNull(); // cleared by the next readable write
  });

  it("lock transitions - the plain-text holder form is accepted", () => {
    const { transitions } = classifyHistory([put(0, "replica-7"), put(1, "replica-7"), put(2, "replica-8")], noAge);
    expect(kinds(transitions)).toEqual(["acquire", "renew", "failover"]);
    expect(transitions[2]).toMatchObject({ holder: "replica-8", previous_holder: "replica-7", ttl_s: null });
  });

  it("lock transitions - a renew later than 1.5 intervals is a late_renew carrying the gap", () => {
    const { transitions } = classifyHistory([put(0, json("a")), put(2, json("a")), put(6, json("a"))], noAge);
    expect(kinds(transitions)).toEqual(["acquire", "renew", "late_renew"]);
    expect(transitions[2]!.gap_ms).toBe(4000);
  });

  it("lock transitions - a takeover within the old holder's lease is flagged split-brain", () => {
    // a renews at 2 s with ttl 6 s; b writes at 4 s while a's lease still runs.
    const { transitions } = classifyHistory([put(0, json("a")), put(2, json("a")), put(4, json("b")), put(5, json("a"))], noAge);
    expect(kinds(transitions)).toEqual(["acquire", "renew", "failover", "failover"]);
    expect(transitions[2]!.split_brain).toBe(true);
    expect(transitions[3]!.split_brain).toBe(true);
  });

  it("lock transitions - plain-text holders estimate the lease as three observed intervals", () => {
    const events = [put(0, "a"), put(1, "a"), put(2, "a"), put(3, "a"), put(4, "b")];
    const { transitions, tracks } = classifyHistory(events, noAge);
    expect(transitions.at(-1)!.split_brain).toBe(true); // 1 s gap < 3 × 1 s
    const state = singletonState(tracks.get("locks/dedup")!, T0 + 5_000);
    expect(state).toMatchObject({ holder: "b", renew_interval_ms: null, interval_source: null, candidates: ["a"] });
  });
});

describe("singleton state and health", () => {
  const history = [put(0, json("a")), put(2, json("a")), put(4, json("a")), put(12, json("b")), put(14, json("b"))];
  const { tracks, transitions } = classifyHistory(history, noAge);
  const state = singletonState(tracks.get("locks/dedup")!, T0 + 15_000);

  it("singleton state - holder, held since, interval from the value and passive candidates", () => {
    expect(state).toMatchObject({
      holder: "b",
      held_since: at(12),
      last_write_at: at(14),
      renew_interval_ms: 2000,
      interval_source: "value",
      lease_ms: 6000,
      lease_source: "value",
      candidates: ["a"],
    });
  });

  it("singleton state - the observed cadence is used when the value carries no interval", () => {
    const plain = classifyHistory([put(0, "a"), put(3, "a"), put(6, "a"), put(9, "a")], noAge);
    const s = singletonState(plain.tracks.get("locks/dedup")!, T0 + 10_000);
    expect(s).toMatchObject({ renew_interval_ms: 3000, interval_source: "observed", lease_ms: 9000, lease_source: "estimated" });
  });

  it("lease health - ok, amber past 1.5 intervals, red past the lease, and no holder", () => {
    expect(leaseHealth(state, T0 + 15_000)).toMatchObject({ state: "ok", age_ms: 1000 });
    expect(leaseHealth(state, T0 + 17_500)).toMatchObject({ state: "late", label: "renew late" });
    expect(leaseHealth(state, T0 + 21_000)).toMatchObject({ state: "expired", label: "lease expired", fraction: 1 });
    expect(leaseHealth({ ...state, holder: null }, T0)).toMatchObject({ state: "released" });
  });

  it("lease health - data older than the freshness bound is judged at its sample time, not the wall clock", () => {
    // The browser stalled: its data was sampled 1 s after the renew, the wall clock is 20 s on.
    expect(leaseHealth(state, T0 + 34_000, T0 + 15_000)).toMatchObject({ state: "stale", label: "data 19 s old", age_ms: 1000 });
    expect(leaseHealth(state, T0 + 16_000, T0 + 15_000)).toMatchObject({ state: "ok" });
  });

  it("lease health - a lease already expired in the data stays expired however old the data", () => {
    expect(leaseHealth(state, T0 + 60_000, T0 + 21_000)).toMatchObject({ state: "expired", label: "lease expired" });
  });

  it("data clock - the server clock offset is the fastest sample's, so a late-handled sample never ages the data", () => {
    const skew = 4_000; // the browser's clock runs 4 s ahead
    const samples = [
      { sampledAt: T0, receivedAt: T0 + skew + 120 },
      { sampledAt: T0 + 1_000, receivedAt: T0 + 1_000 + skew + 30 },
      { sampledAt: T0 + 2_000, receivedAt: T0 + 2_000 + skew + 12_000 }, // handled after a 12 s stall
    ];
    expect(estimateClockOffset(samples)).toBe(skew + 30);
    expect(estimateClockOffset([])).toBe(0);
  });

  it("singleton status - flapping reads FLAPPING instead of healthy; expired and stale data come first", () => {
    const flapping = { flapping: { failovers: 7, window_ms: 300_000 } };
    expect(singletonStatus(leaseHealth(state, T0 + 15_000), flapping)).toEqual({ tone: "bad", label: "flapping" });
    expect(singletonStatus(leaseHealth(state, T0 + 15_000), { flapping: null })).toEqual({ tone: "ok", label: "healthy" });
    expect(singletonStatus(leaseHealth(state, T0 + 21_000), flapping)).toEqual({ tone: "bad", label: "lease expired" });
    expect(singletonStatus(leaseHealth(state, T0 + 34_000, T0 + 15_000), flapping)).toEqual({ tone: "neutral", label: "data 19 s old" });
  });

  it("failover count - counts failovers of one key inside the range only", () => {
    expect(countFailovers(transitions, "dedup", T0, T0 + 20_000)).toBe(1);
    expect(countFailovers(transitions, "dedup", T0 + 13_000, T0 + 20_000)).toBe(0);
    expect(countFailovers(transitions, "llm", T0, T0 + 20_000)).toBe(0);
  });
});

describe("flapping marks", () => {
  /** a and b trade the lock every 10 s, each write well after the old lease. */
  const flapping = () => {
    const evs: LockEvent[] = [];
    for (let i = 0; i < 8; i++) evs.push(put(i * 10, json(i % 2 ? "b" : "a", { ttl_s: 2, renew_interval_s: 1 }), "llm"));
    return classifyHistory(evs, noAge).transitions;
  };

  it("flapping - the failovers that complete more than N in the window are marked", () => {
    expect(flappingMarks(flapping(), "llm", { maxFailovers: 5, windowMs: 300_000 }).map((t) => t.at)).toEqual([at(60), at(70)]);
  });
});

describe("failover summary", () => {
  it("failover summary - counts failovers, handovers and split-brains with gap figures per key", () => {
    const { transitions } = classifyHistory(
      [put(0, json("a")), put(10, json("b")), put(12, json("a")), del(20), put(21, json("b")), put(0.5, json("x"), "llm")],
      noAge,
    );
    expect(summarizeFailovers(transitions)).toEqual([
      { bucket: "locks", key: "dedup", failovers: 2, handovers: 1, split_brains: 1, gap_ms: { max: 10_000, median: 10_000 } },
      { bucket: "locks", key: "llm", failovers: 0, handovers: 0, split_brains: 0, gap_ms: { max: null, median: null } },
    ]);
  });
});
