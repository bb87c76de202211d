import { describe, expect, it } from "vitest";
import {
  spacedLabels,
  failoverParamsToQuery,
  HOLDER_PALETTE,
  holderColor,
  parseFailoverParams,
  resolveWindow,
  TimelineQuerySchema,
} from "./failover";

const NOW = Date.parse("2026-11-23T12:00:00Z");

describe("failover url state", () => {
  it("failover params - defaults, presets and a zoomed window round-trip through the URL", () => {
    expect(parseFailoverParams(new URLSearchParams(""))).toEqual({ range: "1h" });
    for (const q of ["range=6h", "from=2026-11-23T10:00:00.000Z&to=2026-11-23T11:00:00.000Z&key=dedup"]) {
      const parsed = parseFailoverParams(new URLSearchParams(q));
      const back = new URLSearchParams(Object.entries(failoverParamsToQuery(parsed)).filter((e): e is [string, string] => !!e[1]));
      expect(parseFailoverParams(back)).toEqual(parsed);
      expect(back.toString()).toBe(new URLSearchParams(q).toString());
    }
  });

  it("failover params - broken values fall back instead of breaking a shared link", () => {
    expect(parseFailoverParams({ range: "3y", from: "yesterday", key: "" })).toEqual({ range: "1h" });
  });

  it("failover window - trailing preset, zoom, and a reversed zoom ignored", () => {
    expect(resolveWindow({ range: "15m" }, NOW)).toEqual({ from: NOW - 900_000, to: NOW, zoomed: false });
    expect(resolveWindow({ range: "1h", from: "2026-11-23T10:00:00Z", to: "2026-11-23T10:30:00Z" }, NOW)).toMatchObject({
      zoomed: true,
      to: NOW - 5_400_000,
    });
    expect(resolveWindow({ range: "1h", from: "2026-11-23T10:30:00Z", to: "2026-11-23T10:00:00Z" }, NOW).zoomed).toBe(false);
  });

  it("timeline query - names the parameter that is wrong", () => {
    const bad = TimelineQuerySchema.safeParse({ from: "2026-11-23T10:00:00Z", to: "2026-11-23T09:00:00Z" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(["to"]);
    expect(TimelineQuerySchema.safeParse({ from: "nope" }).error!.issues[0]!.path).toEqual(["from"]);
    expect(TimelineQuerySchema.parse({ from: "2026-11-23T10:00:00Z", limit: "10" }).limit).toBe(10);
  });
});

describe("failover timeline shaping", () => {
  it("holder colour - stable for a name and taken from the palette", () => {
    expect(holderColor("dedup-0")).toBe(holderColor("dedup-0"));
    expect(HOLDER_PALETTE).toContain(holderColor("llm-1"));
  });
});

describe("marker labels", () => {
  it("marker labels - bursts get one label, spaced markers each get theirs, input order kept", () => {
    expect(spacedLabels([0, 10, 20, 500, 1000], 100)).toEqual([true, false, false, true, true]);
    expect(spacedLabels([1000, 0, 50], 100)).toEqual([true, true, false]);
    expect(spacedLabels([], 100)).toEqual([]);
  });
});
