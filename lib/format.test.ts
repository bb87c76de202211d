import { describe, expect, it } from "vitest";
import {
  formatAge,
  formatAgo,
  formatBytes,
  formatCount,
  formatDuration,
  formatRate,
  formatUtc,
  formatUtcTime,
  lastIsoOf,
  localZoneLabel,
  zoneName,
} from "./format";

describe("format", () => {
  it("format - counts, rates and bytes", () => {
    expect(formatCount(27412)).toBe("27,412");
    expect(formatCount(null)).toBe("—");
    expect(formatRate(0)).toBe("0/s");
    expect(formatRate(4.25)).toBe("4.3/s");
    expect(formatRate(480)).toBe("480/s");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(1024 ** 3)).toBe("1.0 GiB");
    expect(formatBytes(-1)).toBe("—");
  });

  it("format - durations keep two significant units", () => {
    expect(formatDuration(120)).toBe("120ms");
    expect(formatDuration(4_200)).toBe("4.2s");
    expect(formatDuration(185_000)).toBe("3m 05s");
    expect(formatDuration(3_720_000)).toBe("1h 02m");
    expect(formatDuration(90_000_000)).toBe("1d 01h");
  });

  it("format - UTC timestamps show the zone", () => {
    expect(formatUtc("2026-11-23T14:05:09.123Z", "utc")).toBe("2026-11-23 14:05:09 UTC");
    expect(formatUtc("2026-11-23T14:05:09.123Z", "utc", true)).toBe("2026-11-23 14:05:09.123 UTC");
    expect(formatUtcTime("2026-11-23T14:05:09.123+02:00", "utc")).toBe("12:05:09Z");
    expect(formatUtc("garbage", "utc")).toBe("—");
    expect(formatAge("2026-11-23T14:05:00Z", Date.parse("2026-11-23T14:05:09Z"))).toBe("9.0s ago");
    // under a second reads "just now", never a flickering "0ms ago" (nor "-5ms ago" from a skewed clock)
    expect(formatAge("2026-11-23T14:05:00Z", Date.parse("2026-11-23T14:05:00.400Z"))).toBe("just now");
    expect(formatAgo(0)).toBe("just now");
    expect(formatAgo(-5)).toBe("just now");
    expect(formatAgo(1000)).toBe("1.0s ago");
  });
});

describe("display zone", () => {
  it("format - UTC, or local with its offset, as the caller's zone says", () => {
    const t = "2026-11-23T14:05:09.123Z";
    expect(formatUtc(t, "utc")).toBe("2026-11-23 14:05:09 UTC");
    const d = new Date(t);
    const local = new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString();
    expect(formatUtc(t, "local", true)).toBe(`${local.slice(0, 10)} ${local.slice(11, 23)} ${localZoneLabel(d)}`);
    expect(formatUtc(t, "local")).toMatch(/UTC[+-]\d\d:\d\d$/);
    expect(formatUtcTime(t, "local")).toBe(`${local.slice(11, 19)}L`);
    expect(zoneName("utc")).toBe("UTC");
    expect(zoneName("local", d)).toBe(`local (${localZoneLabel(d)})`);
  });

  it("format - the zone label carries sign and minutes", () => {
    const fake = { getTimezoneOffset: () => 330 } as Date; // UTC-05:30
    expect(localZoneLabel(fake)).toBe("UTC-05:30");
    expect(localZoneLabel({ getTimezoneOffset: () => -60 } as Date)).toBe("UTC+01:00");
  });

  it("format - lastIsoOf formats like toISOString, for repeated and changing times", () => {
    const iso = lastIsoOf();
    for (const t of [0, 0, 1_700_000_000_123, 1_700_000_000_123, 1_700_000_000_124, 0]) expect(iso(t)).toBe(new Date(t).toISOString());
  });
});

describe("format - fast paths agree with Intl", () => {
  const nf0 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  const nf1 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  it("format - counts written by hand match Intl for integers of every size and sign", () => {
    const ints = [0, 1, 9, 10, 999, 1000, 1001, 27412, 999999, 1000000, 123456789, Number.MAX_SAFE_INTEGER];
    for (const n of [...ints, ...ints.map((x) => -x)]) expect(formatCount(n), String(n)).toBe(nf0.format(n));
    expect(formatCount(-0)).toBe(nf0.format(-0));
    expect(formatCount(2.5)).toBe(nf0.format(2.5));
  });
  it("format - durations of 1 to 10 s in whole milliseconds match Intl's one decimal, ties included", () => {
    for (let ms = 1000; ms < 10000; ms++) expect(formatDuration(ms), String(ms)).toBe(`${nf1.format(ms / 1000)}s`);
    expect(formatDuration(1234.5)).toBe(`${nf1.format(1.2345)}s`);
  });
});
