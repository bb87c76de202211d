import { describe, expect, it } from "vitest";
import { consumerSummary } from "../../testing/fixtures/consumer";
import { LastReadings, keepMissing, leaderChange, readingAgeSeconds, unknownSinceByKey } from "./provenance";
import { lagMessages, type ConsumerSummary } from "./types";

const T0 = "2026-12-07T12:00:00.000Z";
const T1 = "2026-12-07T12:00:05.000Z";
const T2 = "2026-12-07T12:00:10.000Z";
const led = (name: string, leader: string | null, o: { lag?: number; sampledAt?: string } = {}): ConsumerSummary => ({
  ...consumerSummary("ORDERS", name, { lag: o.lag, sampledAt: o.sampledAt ?? T0 }),
  num_pending: o.lag ?? 0,
  cluster: { name: "c", leader, replicas: [] },
});

describe("consumer provenance", () => {
  it("provenance - a missing consumer keeps its last good reading, flagged unknown since the sample that missed it, never 0", () => {
    const before = [led("billing", "n1", { lag: 4200 }), led("audit", "n2", { lag: 7 })];
    const [kept, ...rest] = keepMissing(before, ["billing"], T1);
    expect(rest).toEqual([]);
    expect(kept!.name).toBe("billing");
    expect(kept!.unknown_since).toBe(T1);
    expect(kept!.sampled_at).toBe(T0); // the reading's own time, not the sample that missed it
    expect(lagMessages(kept!)).toBe(4200);
    expect(kept!.cluster?.leader).toBe("n1");
  });

  it("provenance - still missing on the next sample: unknown since the first miss, not the latest", () => {
    const first = keepMissing([led("billing", "n1", { lag: 5 })], ["billing"], T1);
    const second = keepMissing(first, ["billing"], T2);
    expect(second[0]!.unknown_since).toBe(T1);
  });

  it("provenance - a missing consumer never read before is left out rather than shown as a guess", () => {
    expect(keepMissing([led("audit", "n2")], ["billing"], T1)).toEqual([]);
    expect(keepMissing(undefined, ["billing"], T1)).toEqual([]);
  });

  it("provenance - a consumer listed again is known: only the missing names are kept", () => {
    const unknown = keepMissing([led("billing", "n1", { lag: 5 })], ["billing"], T1);
    expect(keepMissing(unknown, [], T2)).toEqual([]);
    expect(unknownSinceByKey([...unknown, led("audit", "n2")])).toEqual({ "ORDERS/billing": T1 });
    expect(unknownSinceByKey([led("audit", "n2")])).toBeUndefined();
  });

  it("provenance - a leader change is recorded with both servers; no change without two leaders that differ", () => {
    expect(leaderChange(led("billing", "n1"), led("billing", "n3", { sampledAt: T2 }))).toEqual({ at: T2, from: "n1", to: "n3" });
    expect(leaderChange(led("billing", "n1"), led("billing", "n1", { sampledAt: T2 }))).toBeNull();
    expect(leaderChange(undefined, led("billing", "n1"))).toBeNull();
    expect(leaderChange(led("billing", null), led("billing", "n1"))).toBeNull();
  });

  it("provenance - a reading's age in whole seconds, never negative", () => {
    expect(readingAgeSeconds(T0, Date.parse(T0) + 12_900)).toBe(12);
    expect(readingAgeSeconds(T0, Date.parse(T0) - 5_000)).toBe(0);
    expect(readingAgeSeconds("not a time", 0)).toBeNull();
  });

  it("provenance - last readings keep each consumer's newest reading and forget by when it was last remembered", () => {
    const readings = new LastReadings<ConsumerSummary>();
    const first = led("billing", "n1", { lag: 1, sampledAt: T0 });
    readings.remember([first, led("audit", "n1", { sampledAt: T0 })], 0);
    const newer = led("billing", "n2", { lag: 2, sampledAt: T1 });
    readings.remember([newer], 5_000);
    expect(readings.of("ORDERS").map((r) => [r.name, r.sampled_at])).toEqual([
      ["billing", T1],
      ["audit", T0],
    ]);
    expect(readings.of("ORDERS")[0]).toBe(newer);
    // billing was remembered again at 5 s: only audit is older than 1 s
    readings.forget(1_000);
    expect(readings.of("ORDERS")).toEqual([newer]);
    readings.forget(6_000);
    expect(readings.of("ORDERS")).toEqual([]);
  });
});
