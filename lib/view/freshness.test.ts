import { describe, expect, it } from "vitest";
import { formatSampleAge, frozenFreshness, snapshotFreshness } from "./freshness";

const AT = "2026-11-23T12:00:00.000Z";
const after = (ms: number) => Date.parse(AT) + ms;

describe("snapshot freshness", () => {
  it("snapshot freshness - a recent ok sample reads live, with its age in whole seconds", () => {
    expect(snapshotFreshness("ok", AT, after(2_400))).toEqual({ tone: "ok", label: "data live · sampled 2s ago" });
  });

  it("snapshot freshness - a sample older than the stale limit reads stale with its age, whatever its status", () => {
    expect(snapshotFreshness("ok", AT, after(40_000))).toEqual({ tone: "bad", label: "data stale 40s" });
    expect(snapshotFreshness("degraded", AT, after(125_000))).toEqual({ tone: "bad", label: "data stale 2m 05s" });
  });

  it("snapshot freshness - a degraded recent sample is partial; none yet is waiting, or failed when degraded", () => {
    expect(snapshotFreshness("degraded", AT, after(1_000))).toEqual({ tone: "warn", label: "data partial · sampled 1s ago" });
    expect(snapshotFreshness("initializing", null, after(0))).toEqual({ tone: "neutral", label: "waiting for the first sample" });
    expect(snapshotFreshness("degraded", null, after(0))).toEqual({ tone: "bad", label: "no data · sampling failed" });
  });

  it("snapshot freshness - ages below zero (clock skew) read 0s; an hour reads in hours and minutes", () => {
    expect(formatSampleAge(-500)).toBe("0s");
    expect(formatSampleAge(3_725_000)).toBe("1h 02m");
  });

  it("snapshot freshness - a frozen view says when it was sampled, not how old that is", () => {
    expect(frozenFreshness("06:14:19 UTC")).toEqual({ tone: "neutral", label: "frozen · sampled 06:14:19 UTC" });
  });
});
