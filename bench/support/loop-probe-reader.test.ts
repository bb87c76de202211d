import { describe, expect, it } from "vitest";
import { attributeStall, median, parseProbeLines, rssTrend, summarizeProbe, type ProbeSecond } from "./loop-probe-reader";

const second = (t: number, rssMiB: number, extra: Partial<ProbeSecond> = {}): ProbeSecond => ({
  t,
  rssMiB,
  heapMiB: 50,
  loopMaxMs: 20,
  gcMaxMs: 5,
  gcMs: 10,
  stalls: [],
  ...extra,
});

describe("loop probe - stall attribution", () => {
  it("calls a stall mostly spent in GC a GC stall", () => {
    expect(attributeStall({ gapMs: 120, cpuMs: 120, gcMs: 90 })).toBe("gc");
  });
  it("calls a busy stall without GC JavaScript work", () => {
    expect(attributeStall({ gapMs: 120, cpuMs: 110, gcMs: 0 })).toBe("js");
  });
  it("calls a stall the main thread did not run through a descheduled one", () => {
    expect(attributeStall({ gapMs: 140, cpuMs: 20, gcMs: 0 })).toBe("descheduled");
  });
  it("calls a long GC pause in which the main thread barely ran descheduled, not GC", () => {
    expect(attributeStall({ gapMs: 300, cpuMs: 10, gcMs: 295 })).toBe("descheduled");
  });
});

describe("loop probe - RSS trend", () => {
  it("compares the medians of the first and last windows, ignoring a sawtooth", () => {
    // 30 minutes of readings swinging 250↔350 MiB every other second: flat.
    const seconds = Array.from({ length: 1800 }, (_, i) => second(i * 1000, i % 2 ? 350 : 250));
    const trend = rssTrend(seconds);
    expect(trend.windowS).toBe(300);
    expect(trend.growth).toBe(0);
  });
  it("shows growth when the last window sits higher", () => {
    const seconds = Array.from({ length: 900 }, (_, i) => second(i * 1000, 200 + i / 10));
    const trend = rssTrend(seconds);
    expect(trend.windowS).toBe(299); // a third of a 15-minute run
    expect(trend.first).toBeCloseTo(215, 0);
    expect(trend.last).toBeCloseTo(275, 0);
    expect(trend.growth).toBeGreaterThan(0.25);
  });
  it("is not a number without readings", () => {
    expect(rssTrend([]).growth).toBeNaN();
  });
  it("median of an even count averages the middle pair", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe("loop probe - summary", () => {
  it("counts stalls by cause and names the worst", () => {
    const seconds = [
      second(0, 200, { stalls: [{ gapMs: 60, cpuMs: 60, gcMs: 50, gcKind: "major" }] }),
      second(1000, 200, { gcMaxMs: 45, gcMaxKind: "minor", stalls: [{ gapMs: 130, cpuMs: 10, gcMs: 0 }] }),
      second(2000, 200, { stalls: [{ gapMs: 30, cpuMs: 30, gcMs: 0 }] }),
    ];
    const { line, final } = summarizeProbe(seconds, 50);
    expect(line).toContain("gc pause max 45 ms (minor)");
    expect(line).toContain("stalls ≥ 50 ms: 2 (gc 1, js 0, descheduled 1), worst 130 ms (descheduled");
    expect(final).toContain("stalls > 100 ms: 1, of which not descheduled: 0");
  });
  it("parses the probe's JSON lines and skips a torn last line", () => {
    const text = `${JSON.stringify(second(0, 1))}\n${JSON.stringify(second(1000, 2))}\n{"t":20`;
    expect(parseProbeLines(text).map((s) => s.rssMiB)).toEqual([1, 2]);
  });
});
