/** Formatters for a dense, calm console: fixed units, UTC with the zone shown. Pure: `now` is an argument. */

const nf0 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  // Integers by hand: the health rules quote counts for every consumer on every sample, where Intl's per-call
  // cost adds up. Same text as nf0 (lib/format.test.ts compares them).
  if (Number.isSafeInteger(n) && !Object.is(n, -0)) return groupThousands(n);
  return nf0.format(n);
}

function groupThousands(n: number): string {
  const digits = String(Math.abs(n));
  if (digits.length <= 3) return n < 0 ? `-${digits}` : digits;
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let k = out.length; k < digits.length; k += 3) out += `,${digits.slice(k, k + 3)}`;
  return n < 0 ? `-${out}` : out;
}

/**
 * A whole number of milliseconds from 1,000 up to 10,000 as seconds with one decimal, as nf1 writes it
 * (half away from zero on the decimal value): without Intl, for the same reason as formatCount.
 */
function secondsOneDecimal(ms: number): string {
  const tenths = Math.floor((ms + 50) / 100);
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

export function formatRate(perSecond: number | null | undefined, unit = "/s"): string {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return "—";
  if (perSecond === 0) return `0${unit}`;
  if (perSecond < 10) return `${nf1.format(perSecond)}${unit}`;
  return `${formatCount(perSecond)}${unit}`;
}

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return "—";
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < BYTE_UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v < 10 ? nf1.format(v) : nf0.format(v)} ${BYTE_UNITS[u]}`;
}

/** 1h 02m, 3m 05s, 4.2s, 120ms — the two most significant units. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? (Number.isInteger(ms) ? secondsOneDecimal(ms) : nf1.format(s)) : Math.round(s)}s`;
  const totalS = Math.round(s);
  const d = Math.floor(totalS / 86400);
  const h = Math.floor((totalS % 86400) / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const sec = totalS % 60;
  if (d > 0) return `${d}d ${String(h).padStart(2, "0")}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m`;
  return `${m}m ${String(sec).padStart(2, "0")}s`;
}

/**
 * Where timestamps are shown: UTC (the default, what incident reviews quote) or the browser's zone (`tz=local`
 * in the URL). Callers pass it: the browser reads it from the display-zone context (components/ui/display-zone.tsx).
 */
export type DisplayZone = "utc" | "local";

const toDate = (iso: string | number | Date | null | undefined): Date | null => {
  if (iso === null || iso === undefined) return null;
  const d = iso instanceof Date ? iso : new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** "UTC+01:00" for the browser's zone at that instant (offsets change with daylight saving). */
export function localZoneLabel(d: Date): string {
  const off = -d.getTimezoneOffset();
  const abs = Math.abs(off);
  return `UTC${off < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** The instant as an ISO-like string in `zone`, without a zone suffix: "2026-11-23T14:05:09.123". */
function wallClock(d: Date, zone: DisplayZone): string {
  if (zone === "utc") return d.toISOString().slice(0, 23);
  const shifted = new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 23);
}

/** "2026-11-23 14:05:09 UTC" — always labelled with its zone, sortable; "… UTC+01:00" in local mode. */
export function formatUtc(iso: string | number | Date | null | undefined, zone: DisplayZone, withMs = false): string {
  const d = toDate(iso);
  if (!d) return "—";
  const s = wallClock(d, zone);
  return `${s.slice(0, 10)} ${s.slice(11, withMs ? 23 : 19)} ${zone === "utc" ? "UTC" : localZoneLabel(d)}`;
}

/** "14:05:09Z" for dense columns where the date is implied; "15:05:09L" (local) in local mode. */
export function formatUtcTime(iso: string | number | Date | null | undefined, zone: DisplayZone): string {
  const d = toDate(iso);
  if (!d) return "—";
  return `${wallClock(d, zone).slice(11, 19)}${zone === "utc" ? "Z" : "L"}`;
}

/** The zone name shown beside a range: "UTC" or "local (UTC+01:00)". */
export function zoneName(zone: DisplayZone, at: Date = new Date(0)): string {
  return zone === "utc" ? "UTC" : `local (${localZoneLabel(at)})`;
}

export function formatAge(iso: string | null | undefined, now: number): string {
  if (!iso) return "—";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "—";
  return formatAgo(now - t);
}

/** How long ago, for an age in ms: "just now" under a second (a "0ms ago" that flickers says nothing more). */
export const formatAgo = (ageMs: number): string => (ageMs < 1000 ? "just now" : `${formatDuration(ageMs)} ago`);

/**
 * `new Date(t).toISOString()` that remembers the last time it formatted: ingest stamps bursts of messages
 * received within the same millisecond, so most calls repeat the last one. One per caller.
 */
export function lastIsoOf(): (t: number) => string {
  let lastT = NaN;
  let lastIso = "";
  return (t) => {
    if (t !== lastT) {
      lastT = t;
      lastIso = new Date(t).toISOString();
    }
    return lastIso;
  };
}
