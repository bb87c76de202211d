import { describe, expect, it } from "vitest";
import type { TimelineEntry } from "./timeline";
import {
  addEntries,
  binIndex,
  EMPTY_INDEX,
  entriesBetween,
  failoversBetween,
  groupByKey,
  groupByKeyFrom,
  keyAlarms,
  leaderlessSpans,
  newFeedItems,
  timeWithoutLeader,
  windowFigures,
} from "./transition-index";
import { classifyHistory } from "./lock-transitions";
import { lockEventFrom, parseLockValue, type LockEvent } from "./locks";

const T0 = Date.parse("2026-12-07T12:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const enc = (s: string) => new TextEncoder().encode(s);
let rev = 0;
const put = (s: number, holder: string, key = "dedup"): LockEvent =>
  lockEventFrom(
    { bucket: "locks", key, op: "put", revision: ++rev, at: at(s) },
    parseLockValue(enc(JSON.stringify({ holder_id: holder, ttl_s: 6, renew_interval_s: 2 }))),
  );
const del = (s: number, key = "dedup"): LockEvent => lockEventFrom({ bucket: "locks", key, op: "del", revision: ++rev, at: at(s) }, null);
/** Recorded entries as the server keeps them: everything but plain renews. */
const entries = (events: LockEvent[], maxAgeMs: number | null = null): TimelineEntry[] =>
  classifyHistory(events, { maxAgeMs })
    .transitions.filter((t) => t.kind !== "renew")
    .map((transition) => ({ source: "lock", transition }));
const keyTimeline = (events: LockEvent[], maxAgeMs: number | null = null) =>
  groupByKey(addEntries(EMPTY_INDEX, entries(events, maxAgeMs))).get("dedup")!;

describe("failover index", () => {
  it("failover index - entries arriving out of order and twice are kept once, oldest first", () => {
    const [a, b, c] = entries([put(0, "a"), put(10, "b"), put(20, "a")]);
    const first = addEntries(EMPTY_INDEX, [c!, a!]);
    const second = addEntries(first, [b!, a!]);
    expect(second.entries).toEqual([a, b, c]);
    expect(second.times).toEqual([T0, T0 + 10_000, T0 + 20_000]);
    expect(first.entries).toEqual([a, c]); // the earlier index is not changed
  });

  it("failover index - an index says which index newer entries were appended to; an insertion says none", () => {
    const [a, b, c] = entries([put(0, "a"), put(10, "b"), put(20, "a")]);
    const first = addEntries(EMPTY_INDEX, [a!]);
    const appended = addEntries(first, [c!]);
    expect(appended.appendedTo).toBe(first.id);
    const inserted = addEntries(appended, [b!]);
    expect(inserted.appendedTo).toBeNull();
    expect(inserted.entries).toEqual([a, b, c]);
  });

  it("failover index - grouping grown with the index equals grouping from scratch, for appends and insertions", () => {
    const events: LockEvent[] = [];
    for (let s = 0; s < 120; s++) events.push(put(s * 5, s % 3 ? "a" : "b", ["k1", "k2", "k3"][s % 3]!));
    const all = entries(events);
    // Arrivals in batches, some late (older than what is held), as the live feed and a refetch deliver them.
    const order = [...all.keys()].sort((x, y) => (x % 7 === 3 ? x - 40 : x) - (y % 7 === 3 ? y - 40 : y));
    let index = EMPTY_INDEX;
    let groups = groupByKeyFrom(null, index);
    for (let i = 0; i < order.length; i += 4) {
      index = addEntries(
        index,
        order.slice(i, i + 4).map((j) => all[j]!),
      );
      groups = groupByKeyFrom(groups, index);
      expect(groups.byKey).toEqual(groupByKey(index));
    }
    expect(index.entries.length).toBe(all.length);
  });

  it("failover index - a new transition regroups only its own key; the others keep their timeline", () => {
    const index = addEntries(EMPTY_INDEX, entries([put(0, "a", "k1"), put(1, "a", "k2"), put(30, "b", "k1"), put(31, "b", "k2")]));
    const groups = groupByKeyFrom(null, index);
    const next = groupByKeyFrom(groups, addEntries(index, entries([put(40, "c", "k1")])));
    expect(next.byKey.get("k2")).toBe(groups.byKey.get("k2"));
    expect(next.byKey.get("k1")).not.toBe(groups.byKey.get("k1"));
    expect(next.byKey.get("k1")!.transitions.at(-1)!.holder).toBe("c");
    // Another index appended to the same one is grouped on its own, not taken for the first.
    const other = groupByKeyFrom(next, addEntries(index, entries([put(41, "d", "k1")])));
    expect(other.byKey.get("k1")!.transitions.at(-1)!.holder).toBe("d");
  });

  it("failover index - nothing new returns the same index, so memos keyed on it hold", () => {
    const index = addEntries(EMPTY_INDEX, entries([put(0, "a"), put(10, "b")]));
    expect(addEntries(index, index.entries)).toBe(index);
  });

  it("failover index - a window is cut by time, both ends included", () => {
    const index = addEntries(EMPTY_INDEX, entries([put(0, "a"), put(10, "b"), put(20, "a"), put(30, "b")]));
    expect(entriesBetween(index, T0 + 10_000, T0 + 20_000).map((e) => (e.source === "lock" ? e.transition.holder : null))).toEqual([
      "b",
      "a",
    ]);
  });

  it("failover index - new feed items are the ones in front of the previous head; a reset feed is new whole", () => {
    const [x, y, z] = [{ n: 1 }, { n: 2 }, { n: 3 }];
    expect(newFeedItems([y, x], [z, y, x])).toEqual([z]);
    expect(newFeedItems([y, x], [y, x])).toEqual([]);
    expect(newFeedItems([y], [z])).toEqual([z]);
    expect(newFeedItems(undefined, [y, x])).toEqual([y, x]);
  });

  it("failover index - a late entry among 10,000 lands at its place in time", () => {
    const many = entries(Array.from({ length: 10_000 }, (_, i) => put(i * 2, i % 2 ? "a" : "b")));
    const index = addEntries(EMPTY_INDEX, many);
    const [late] = entries([put(5_001, "c")]);
    const next = addEntries(index, [late!]);
    expect(next.entries.length).toBe(10_001);
    expect(next.entries[2_501]).toBe(late);
    expect(next.times.every((t, i) => i === 0 || next.times[i - 1]! <= t)).toBe(true);
  });
});

describe("per-singleton figures", () => {
  it("failover count - failovers inside the range by binary search", () => {
    const k = keyTimeline([put(0, "a"), put(10, "b"), put(20, "a"), put(30, "b")]);
    expect(failoversBetween(k, T0, T0 + 30_000)).toBe(3);
    expect(failoversBetween(k, T0 + 11_000, T0 + 29_000)).toBe(1);
  });

  it("flapping - more failovers than the rule allows in the trailing window raises the alarm", () => {
    const k = keyTimeline(Array.from({ length: 8 }, (_, i) => put(i * 10, i % 2 ? "b" : "a")));
    expect(keyAlarms(k, T0 + 75_000, { maxFailovers: 5, windowMs: 300_000 }).flapping).toEqual({ failovers: 7, window_ms: 300_000 });
    expect(keyAlarms(k, T0 + 75_000, { maxFailovers: 5, windowMs: 30_000 }).flapping).toBeNull();
  });

  it("split-brain alarm - a recent split-brain is reported, an old one ages out", () => {
    // b writes 2 s after a's last renew, inside a's 6 s lease.
    const k = keyTimeline([put(0, "a"), put(2, "a"), put(4, "b")]);
    expect(keyAlarms(k, T0 + 10_000).split_brain?.holder).toBe("b");
    expect(keyAlarms(k, T0 + 2 * 3600_000).split_brain).toBeNull();
  });

  it("window figures - failovers, time without a leader and the longest failover gap in the window", () => {
    const k = keyTimeline([put(0, "a"), put(2, "a"), put(9, "b"), put(10, "b"), put(13, "a")]);
    expect(windowFigures(k, T0, T0 + 20_000, T0 + 20_000)).toEqual({ failovers: 2, leaderless_ms: 10_000, max_gap_ms: 7_000 });
    expect(windowFigures(k, T0 + 12_000, T0 + 20_000, T0 + 20_000)).toEqual({ failovers: 1, leaderless_ms: 1_000, max_gap_ms: 3_000 });
  });

  it("failover timeline - bins count failovers, other transitions and leader changes", () => {
    const leader: TimelineEntry = {
      source: "jetstream",
      leader: { kind: "stream_leader", stream: "S", consumer: null, leader: "n2", at: at(3590) },
    };
    const index = addEntries(EMPTY_INDEX, [...entries([put(30, "a"), put(40, "b"), del(50)]), leader]);
    const bins = binIndex(index, T0, T0 + 3600_000, 60);
    expect(bins).toHaveLength(60);
    expect(bins[0]).toMatchObject({ failovers: 1, other: 2, leaders: 0 });
    expect(bins[59]).toMatchObject({ leaders: 1 });
  });

  it("time without a leader - the gap before each failover plus the time a released key stayed free", () => {
    // a renews at 0 and 2, b takes over at 9 (gap 7 s), b releases at 20, a acquires at 25 (free 5 s).
    const k = keyTimeline([put(0, "a"), put(2, "a"), put(9, "b"), del(20), put(25, "a")]);
    expect(leaderlessSpans(k, T0, T0 + 30_000, T0 + 30_000)).toEqual([
      [T0 + 2_000, T0 + 9_000],
      [T0 + 20_000, T0 + 25_000],
    ]);
    expect(timeWithoutLeader(k, T0, T0 + 30_000, T0 + 30_000)).toBe(12_000);
  });

  it("time without a leader - clipped to the window, and a key still free counts until now", () => {
    const k = keyTimeline([put(0, "a"), put(2, "a"), put(9, "b"), del(20)]);
    expect(timeWithoutLeader(k, T0 + 5_000, T0 + 60_000, T0 + 30_000)).toBe(4_000 + 10_000);
    // A window opening while the key is free starts counting at the window's start.
    expect(timeWithoutLeader(k, T0 + 25_000, T0 + 60_000, T0 + 30_000)).toBe(5_000);
  });

  it("time without a leader - an expired lease counts from the holder's last write", () => {
    const k = keyTimeline([put(0, "a"), put(2, "a"), put(40, "a")], 10_000);
    expect(timeWithoutLeader(k, T0, T0 + 50_000, T0 + 50_000)).toBe(38_000);
  });
});
