/**
 * One time model for every view: live (the view's own trailing window, or "last 1h" and friends) or a fixed
 * UTC range. It lives in the URL as `range=1h` or `from=…&to=…` (ISO UTC), beside each view's own filters, so
 * any URL reproduces what its sender saw. `tz=local` switches displayed times to the browser's zone.
 * Pure: `now` is always an argument. Its schema is zod/mini: every view's bundle holds this module.
 */
import * as z from "zod/mini";
import { formatDuration, formatUtc, type DisplayZone } from "../format";
import { firstValue, toSearchString, type SearchLike } from "../view/search";

/** The picker's presets. */
export const PICKER_PRESETS = ["15m", "1h", "6h", "24h"] as const;

/** Every trailing window a URL may name: the picker's, plus the views' older quick picks (1m/5m/7d). */
export const TRAILING_WINDOWS = {
  "1m": 60_000,
  "5m": 5 * 60_000,
  "15m": 15 * 60_000,
  "1h": 3600_000,
  "6h": 6 * 3600_000,
  "24h": 24 * 3600_000,
  "7d": 7 * 24 * 3600_000,
} as const;
export type TrailingWindow = keyof typeof TRAILING_WINDOWS;
const WINDOW_NAMES = Object.keys(TRAILING_WINDOWS) as [TrailingWindow, ...TrailingWindow[]];

export type TimeRange =
  /** `last: null` = the view's default window. */
  { kind: "live"; last: TrailingWindow | null } | { kind: "fixed"; from: string; to: string };

export const LIVE: TimeRange = { kind: "live", last: null };

/** The URL keys this module owns. */
export const TIME_RANGE_KEYS = ["range", "from", "to"] as const;
export const TIME_ZONE_KEY = "tz";
export type { DisplayZone };

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

const isoUtc = (key: string) =>
  z.pipe(
    z.string().check(
      z.maxLength(40),
      z.refine(
        (s: string) => ISO_WITH_ZONE.test(s) && !Number.isNaN(Date.parse(s)),
        `${key}: an ISO-8601 time with a zone, like 2026-11-23T14:05:00Z`,
      ),
    ),
    z.transform((s: string) => new Date(Date.parse(s)).toISOString()),
  );

export const TimeRangeParamsSchema = z
  .object({
    range: z.optional(z.enum(WINDOW_NAMES, { message: `range: one of ${WINDOW_NAMES.join(", ")}` })),
    from: z.optional(isoUtc("from")),
    to: z.optional(isoUtc("to")),
  })
  .check(
    z.superRefine((p, ctx) => {
      if (p.range && (p.from || p.to))
        ctx.addIssue({ code: "custom", path: ["range"], message: "range: give either range or from/to, not both" });
      if ((p.from === undefined) !== (p.to === undefined))
        ctx.addIssue({
          code: "custom",
          path: [p.from ? "to" : "from"],
          message: `${p.from ? "to" : "from"}: required with ${p.from ? "from" : "to"}`,
        });
      if (p.from && p.to && Date.parse(p.from) >= Date.parse(p.to))
        ctx.addIssue({ code: "custom", path: ["to"], message: "to: must be after from" });
    }),
  );

/** A key's first value, an empty one read as unset. */
function get(params: SearchLike, key: string): string | undefined {
  return firstValue(params, key) || undefined;
}

/** Strict: a bad value is an error whose message names the parameter. */
export function parseTimeRange(params: SearchLike): { ok: true; range: TimeRange } | { ok: false; error: string } {
  const r = TimeRangeParamsSchema.safeParse(Object.fromEntries(TIME_RANGE_KEYS.map((k) => [k, get(params, k)])));
  if (!r.success) return { ok: false, error: r.error.issues.map((i) => i.message).join("; ") };
  const { range, from, to } = r.data;
  if (from && to) return { ok: true, range: { kind: "fixed", from, to } };
  return { ok: true, range: { kind: "live", last: range ?? null } };
}

/** Lenient, for views: a stale or hand-broken link still opens, live. */
export function parseTimeRangeLenient(params: SearchLike): { range: TimeRange; error: string | null } {
  const r = parseTimeRange(params);
  return r.ok ? { range: r.range, error: null } : { range: LIVE, error: r.error };
}

function timeRangeEntries(r: TimeRange): Record<string, string> {
  if (r.kind === "fixed") return { from: r.from, to: r.to };
  return r.last ? { range: r.last } : {};
}

export function parseDisplayZone(params: SearchLike): DisplayZone {
  return get(params, TIME_ZONE_KEY) === "local" ? "local" : "utc";
}

/** The range as a search string; with `current`, its time-range keys replaced and every other one (the view's filters) kept. */
export function timeRangeToSearch(r: TimeRange, current: URLSearchParams | string = ""): string {
  const q = new URLSearchParams(current);
  for (const k of TIME_RANGE_KEYS) q.delete(k);
  for (const [k, v] of Object.entries(timeRangeEntries(r))) q.set(k, v);
  return toSearchString(q);
}

/** The zone as a search string (UTC, the default, writes nothing); with `current`, every other parameter kept. */
export function displayZoneToSearch(zone: DisplayZone, current: URLSearchParams | string = ""): string {
  const q = new URLSearchParams(current);
  if (zone === "local") q.set(TIME_ZONE_KEY, "local");
  else q.delete(TIME_ZONE_KEY);
  return toSearchString(q);
}

/**
 * `next` (a view's own serialization) plus the shell's parameters from `current` that the view does not own:
 * a filter change keeps the chosen range and time zone.
 */
export function shellStateToSearch(current: URLSearchParams | string, next: string, owned: readonly string[] = []): string {
  const cur = new URLSearchParams(current);
  const out = new URLSearchParams(next);
  // A view that wrote a fixed range must not inherit a trailing one, and the other way round.
  const viewSetRange = out.has("range") || out.has("from") || out.has("to");
  for (const k of [...TIME_RANGE_KEYS, TIME_ZONE_KEY]) {
    if (owned.includes(k) || out.has(k) || (viewSetRange && k !== TIME_ZONE_KEY)) continue;
    const v = cur.get(k);
    if (v !== null) out.set(k, v);
  }
  return toSearchString(out);
}

export interface ResolvedRange {
  from: number;
  to: number;
  live: boolean;
}

/** Absolute [from, to) in epoch ms; a live range ends at `now` and uses the view's default when none is picked. */
export function resolveTimeRange(r: TimeRange, now: number, defaultWindowMs: number): ResolvedRange {
  if (r.kind === "fixed") return { from: Date.parse(r.from), to: Date.parse(r.to), live: false };
  return { from: now - (r.last ? TRAILING_WINDOWS[r.last] : defaultWindowMs), to: now, live: true };
}

/** A click-drag on a chart: the fixed range between two instants, in either order. */
export function fixedRange(a: number, b: number): TimeRange {
  return { kind: "fixed", from: new Date(Math.min(a, b)).toISOString(), to: new Date(Math.max(a, b)).toISOString() };
}

/**
 * The smallest of `windows` that covers the range back from `now` (the largest when none does), for views
 * whose data source only answers trailing windows; the caller clips to [from, to].
 */
export function coveringWindow<W extends string>(r: TimeRange, now: number, windows: Record<W, number>, fallback: W): W {
  const names = (Object.keys(windows) as W[]).sort((a, b) => windows[a] - windows[b]);
  if (r.kind === "live" && r.last === null) return fallback;
  const need = r.kind === "live" ? TRAILING_WINDOWS[r.last!] : now - Date.parse(r.from);
  return names.find((w) => windows[w] >= need) ?? names[names.length - 1]!;
}

/** The format the custom range is typed in: 24-hour, seconds optional. */
export const RANGE_INPUT_FORMAT = "YYYY-MM-DD HH:MM";

/** The wall clock of `t` in `zone` as "2026-11-23 14:05" (seconds only when not zero). */
export function toRangeInput(t: number, zone: DisplayZone): string {
  const shifted = zone === "utc" ? t : t - new Date(t).getTimezoneOffset() * 60_000;
  const wall = new Date(shifted).toISOString();
  return `${wall.slice(0, 10)} ${wall.slice(11, wall.slice(17, 19) === "00" ? 16 : 19)}`;
}

/**
 * A typed "2026-11-23 14:05" (or "…14:05:09", or with a "T") read as a 24-hour wall clock in `zone`, as ISO UTC;
 * else the reason it is not one. Dates that do not exist (Feb 30, 24:00) are refused, not rolled over.
 */
export function parseRangeInput(value: string, zone: DisplayZone): { iso: string } | { error: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return { error: `use ${RANGE_INPUT_FORMAT} (24-hour)` };
  const [y, mo, d, h, mi, sec] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const t = zone === "utc" ? Date.UTC(y, mo - 1, d, h, mi, sec) : new Date(y, mo - 1, d, h, mi, sec).getTime();
  const back = new Date(t);
  const parts =
    zone === "utc"
      ? [back.getUTCFullYear(), back.getUTCMonth() + 1, back.getUTCDate(), back.getUTCHours(), back.getUTCMinutes()]
      : [back.getFullYear(), back.getMonth() + 1, back.getDate(), back.getHours(), back.getMinutes()];
  if (parts.join() !== [y, mo, d, h, mi].join() || sec > 59) return { error: "no such date or time" };
  return { iso: back.toISOString() };
}

/** The window a view with charts shows while no range is picked; the view and the shell's bar both read it here. */
export const CONSUMER_DETAIL_DEFAULT_WINDOW = "15m" satisfies TrailingWindow;
export const STREAM_DETAIL_DEFAULT_WINDOW = "5m" satisfies TrailingWindow;
export const FAILOVER_DEFAULT_WINDOW = "1h" satisfies TrailingWindow;
export const BUS_SERVER_DEFAULT_WINDOW = "15m" satisfies TrailingWindow;

/** The default window of the view at `pathname` (a consumer's, a stream's or a bus server's page, Failover), null for views without one. */
export function viewDefaultWindow(pathname: string): TrailingWindow | null {
  const segments = pathname.split("/").filter(Boolean);
  if (segments[0] === "consumers" && segments.length === 3) return CONSUMER_DETAIL_DEFAULT_WINDOW;
  if (segments[0] === "streams" && segments.length === 2) return STREAM_DETAIL_DEFAULT_WINDOW;
  if (segments[0] === "failover") return FAILOVER_DEFAULT_WINDOW;
  if (segments[0] === "bus" && segments[1] === "servers" && segments.length === 3) return BUS_SERVER_DEFAULT_WINDOW;
  return null;
}

/**
 * The active range in words, zone named: "live · last 1h", "live · last 15m (view default)",
 * "2026-11-23 14:00:00 UTC → 2026-11-23 15:00:00 UTC (1h 00m)".
 */
export function describeTimeRange(r: TimeRange, zone: DisplayZone, viewDefault: TrailingWindow | null = null): string {
  if (r.kind === "live" && !r.last && viewDefault) return `live · last ${viewDefault} (view default)`;
  if (r.kind === "live") return r.last ? `live · last ${r.last}` : "live · view default window";
  return `${formatUtc(r.from, zone)} → ${formatUtc(r.to, zone)} (${formatDuration(Date.parse(r.to) - Date.parse(r.from))})`;
}

/** Whether an instant falls in the range; everything a live view holds is in it. */
export function inTimeRange(t: number, r: TimeRange): boolean {
  return r.kind === "live" || (t >= Date.parse(r.from) && t < Date.parse(r.to));
}

/** A table of current state covers one instant: the sample it shows (the epoch when there is none yet). */
export function sampleInstant(sampledAt: string | null | undefined): { from: string; to: string } {
  const t = sampledAt ? Date.parse(sampledAt) : NaN;
  const iso = new Date(Number.isNaN(t) ? 0 : t).toISOString();
  return { from: iso, to: iso };
}

/** A resolved range as ISO strings, for export metadata and file names. */
export function rangeIso(r: ResolvedRange): { from: string; to: string } {
  return { from: new Date(r.from).toISOString(), to: new Date(r.to).toISOString() };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Steps a reader counts in: a tick every 5 min reads at a glance, one every 1 min 52.5 s does not. */
const TICK_STEPS = [1, 2, 5, 10, 15, 30]
  .map((s) => s * SECOND)
  .concat(
    [1, 2, 5, 10, 15, 30].map((m) => m * MINUTE),
    [1, 2, 3, 6, 12, 24].map((h) => h * HOUR),
  );

/**
 * Axis ticks at round UTC instants (whole multiples of the smallest step that keeps at most maxTicks in the
 * window), so charts stacked over the same window label the same instants.
 */
export function roundTimeTicks(from: number, to: number, maxTicks = 8): number[] {
  if (!(to > from) || maxTicks < 1) return [];
  // span / step < maxTicks keeps the tick count (at most floor(span / step) + 1) within maxTicks.
  const span = to - from;
  const step = TICK_STEPS.find((s) => span / s < maxTicks) ?? (Math.floor(span / (24 * HOUR) / maxTicks) + 1) * 24 * HOUR;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return ticks;
}

/**
 * roundTimeTicks for a bar chart with one category per time bucket (a categorical axis can only label its
 * own categories): the bucket holding each round instant, mapped to that instant, which is what its label
 * should read — bucket starts follow the window's start (12:41:22), the labels should not.
 */
export function roundBucketTicks(bucketStarts: readonly number[], maxTicks = 8): Map<number, number> {
  const ticks = new Map<number, number>();
  if (bucketStarts.length < 2) return ticks;
  const first = bucketStarts[0]!;
  const width = bucketStarts[1]! - first;
  for (const instant of roundTimeTicks(first, bucketStarts.at(-1)! + width, maxTicks)) {
    const bucket = bucketStarts[Math.floor((instant - first) / width)];
    if (bucket !== undefined && !ticks.has(bucket)) ticks.set(bucket, instant);
  }
  return ticks;
}

/** roundTimeTicks over a chart's own data: instants in ascending order, as charts hold them. */
export const roundTicksOver = (times: readonly number[], maxTicks = 8): number[] =>
  times.length ? roundTimeTicks(times[0]!, times.at(-1)!, maxTicks) : [];
