import { describe, expect, it } from "vitest";
import { failoverViewStateToSearch, parseFailoverViewState, resolveWindow } from "./search-params";

const NOW = Date.parse("2026-11-23T12:00:00Z");

describe("failover url state", () => {
  it("failover view state - defaults, presets and a zoomed window round-trip through the URL", () => {
    expect(parseFailoverViewState(new URLSearchParams(""))).toEqual({ range: "1h" });
    expect(failoverViewStateToSearch({ range: "1h" })).toBe("");
    for (const q of ["range=6h", "from=2026-11-23T10:00:00.000Z&to=2026-11-23T11:00:00.000Z&key=dedup"]) {
      const parsed = parseFailoverViewState(new URLSearchParams(q));
      const back = failoverViewStateToSearch(parsed);
      expect(back).toBe(`?${new URLSearchParams(q)}`);
      expect(parseFailoverViewState(new URLSearchParams(back))).toEqual(parsed);
    }
  });

  it("failover view state - a zoom wins over the preset when written", () => {
    expect(failoverViewStateToSearch({ range: "6h", from: "2026-11-23T10:00:00.000Z", to: "2026-11-23T11:00:00.000Z" })).toBe(
      "?from=2026-11-23T10%3A00%3A00.000Z&to=2026-11-23T11%3A00%3A00.000Z",
    );
  });

  it("failover view state - broken values fall back instead of breaking a shared link", () => {
    expect(parseFailoverViewState({ range: "3y", from: "yesterday", key: "" })).toEqual({ range: "1h" });
  });

  it("failover window - trailing preset, zoom, and a reversed zoom ignored", () => {
    expect(resolveWindow({ range: "15m" }, NOW)).toEqual({ from: NOW - 900_000, to: NOW, zoomed: false });
    expect(resolveWindow({ range: "1h", from: "2026-11-23T10:00:00Z", to: "2026-11-23T10:30:00Z" }, NOW)).toMatchObject({
      zoomed: true,
      to: NOW - 5_400_000,
    });
    expect(resolveWindow({ range: "1h", from: "2026-11-23T10:30:00Z", to: "2026-11-23T10:00:00Z" }, NOW).zoomed).toBe(false);
  });
});
