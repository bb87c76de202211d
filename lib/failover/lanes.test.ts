import { describe, expect, it } from "vitest";
import type { TimelineEntry } from "./timeline";
import { addEntries, EMPTY_INDEX, groupByKey } from "./transition-index";
import { eventTicks, lanePaths, overviewBars, pixelSpans } from "./lanes";
import { classifyHistory } from "./lock-transitions";
import { lockEventFrom, parseLockValue, type LockEvent } from "./locks";

const T0 = Date.parse("2026-12-07T12:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const enc = (s: string) => new TextEncoder().encode(s);
let rev = 0;
const put = (s: number, holder: string): LockEvent =>
  lockEventFrom(
    { bucket: "locks", key: "dedup", op: "put", revision: ++rev, at: at(s) },
    parseLockValue(enc(JSON.stringify({ holder_id: holder, ttl_s: 6, renew_interval_s: 2 }))),
  );
const keyTimeline = (events: LockEvent[]) => {
  const entries: TimelineEntry[] = classifyHistory(events, { maxAgeMs: null })
    .transitions.filter((t) => t.kind !== "renew")
    .map((transition) => ({ source: "lock", transition }));
  return groupByKey(addEntries(EMPTY_INDEX, entries)).get("dedup")!;
};
const subpaths = (d: string) => (d.match(/M/g) ?? []).length;

describe("failover lanes", () => {
  it("failover lanes - spans snap to whole pixels, at least one wide, merged where they touch", () => {
    expect(
      pixelSpans(
        [
          [0, 10],
          [10.2, 20],
          [50, 50.01],
        ],
        0,
        100,
        100,
      ),
    ).toEqual([
      [0, 20],
      [50, 51],
    ]);
  });

  it("failover lanes - one path per holder, the open tenure ends at now", () => {
    const k = keyTimeline([put(0, "a"), put(50, "b"), put(70, "a")]);
    const lane = lanePaths(k, T0, T0 + 100_000, T0 + 90_000, { width: 100, height: 50 });
    expect(lane.bands.map((b) => b.holder)).toEqual(["a", "b"]);
    expect(lane.bands[0]!.d).toBe("M0 5H50V45H0ZM70 5H90V45H70Z");
    expect(lane.failovers).toBe(2);
    expect(lane.labels.filter((l) => l.kind === "holder").map((l) => l.text)).toEqual(["a", "b", "a"]);
  });

  it("failover lanes - a holder that took the lock before the window still has its band from the window's start", () => {
    const k = keyTimeline([put(0, "a"), put(50, "b")]);
    const lane = lanePaths(k, T0 + 20_000, T0 + 120_000, T0 + 120_000, { width: 100, height: 50 });
    expect(lane.bands.find((b) => b.holder === "a")!.d).toBe("M0 5H30V45H0Z");
  });

  it("failover lanes - 10,000 transitions on 1,000 px draw at most one marker per pixel column and few labels", () => {
    const events = Array.from({ length: 10_000 }, (_, i) => put(100 + i * 3, i % 2 ? "a" : "b"));
    const k = keyTimeline(events);
    const lane = lanePaths(k, T0, T0 + 40_000_000, T0 + 40_000_000, { width: 1000, height: 74 });
    const failoverTicks = subpaths(lane.markers.find((m) => m.kind === "failover")?.d ?? lane.splitBrain);
    expect(lane.failovers).toBe(9_999);
    expect(failoverTicks + subpaths(lane.splitBrain)).toBeLessThanOrEqual(2 * 1000);
    for (const b of lane.bands) expect(subpaths(b.d)).toBeLessThanOrEqual(1000);
    expect(lane.labels.length).toBeLessThan(20);
  });

  it("failover lanes - leader changes become one tick per pixel column", () => {
    expect(eventTicks([T0, T0 + 1, T0 + 60_000, T0 + 200_000], T0, T0 + 100_000, 100, 20)).toBe("M0.5 0V20M60.5 0V20");
  });
});

describe("failover overview", () => {
  it("failover overview - stacked bars, one path per series, scaled to the tallest bin", () => {
    const bins = [
      { t: 0, failovers: 2, other: 0, leaders: 0 },
      { t: 10, failovers: 1, other: 1, leaders: 2 },
    ];
    const bars = overviewBars(bins, 20, 40);
    expect(bars.max).toBe(4);
    expect(bars.failovers).toBe("M0 40.0H9V20.0H0ZM10 40.0H19V30.0H10Z");
    expect(bars.other).toBe("M10 30.0H19V20.0H10Z");
    expect(bars.leaders).toBe("M10 20.0H19V0.0H10Z");
  });
});
