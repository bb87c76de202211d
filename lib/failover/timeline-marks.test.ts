import { describe, expect, it } from "vitest";
import { HOLDER_PALETTE, holderColor, spacedLabels } from "./timeline-marks";

describe("failover timeline marks", () => {
  it("holder colour - stable for a name and taken from the palette", () => {
    expect(holderColor("dedup-0")).toBe(holderColor("dedup-0"));
    expect(HOLDER_PALETTE).toContain(holderColor("llm-1"));
  });

  it("marker labels - bursts get one label, spaced markers each get theirs, input order kept", () => {
    expect(spacedLabels([0, 10, 20, 500, 1000], 100)).toEqual([true, false, false, true, true]);
    expect(spacedLabels([1000, 0, 50], 100)).toEqual([true, true, false]);
    expect(spacedLabels([], 100)).toEqual([]);
  });
});
