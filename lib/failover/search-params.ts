/**
 * URL state of the Failover view: the trailing range or zoomed window on screen and the focused singleton.
 * Its range/from/to are the shell's shared time range keys (lib/time/range.ts).
 */
import { z } from "zod";
import { firstValue, toSearchString, type SearchLike } from "../view/search";
import { isoTime } from "./queries";

export const RANGE_PRESETS = {
  "15m": 15 * 60_000,
  "1h": 3600_000,
  "6h": 6 * 3600_000,
  "24h": 24 * 3600_000,
  "7d": 7 * 24 * 3600_000,
} as const;
export type RangePreset = keyof typeof RANGE_PRESETS;

/**
 * `?range=1h` (trailing window) or `?from=…&to=…` (a zoomed window from the brush); `key` focuses one singleton.
 * Unknown or broken values fall back to the default rather than breaking a shared link.
 */
export const FailoverViewStateSchema = z.object({
  range: z
    .enum(Object.keys(RANGE_PRESETS) as [RangePreset, ...RangePreset[]])
    .catch("1h")
    .default("1h"),
  from: isoTime.optional().catch(undefined),
  to: isoTime.optional().catch(undefined),
  key: z.string().min(1).max(256).optional().catch(undefined),
});
export type FailoverViewState = z.infer<typeof FailoverViewStateSchema>;

export function parseFailoverViewState(search: SearchLike): FailoverViewState {
  const get = (k: string) => firstValue(search, k);
  return FailoverViewStateSchema.parse({ range: get("range"), from: get("from"), to: get("to"), key: get("key") });
}

/** Only what differs from the defaults, so URLs stay short: `?range=6h&key=dedup`, or "" for the defaults. */
export function failoverViewStateToSearch(p: FailoverViewState): string {
  const zoomed = p.from !== undefined && p.to !== undefined;
  const q = new URLSearchParams();
  if (!zoomed && p.range !== "1h") q.set("range", p.range);
  if (zoomed) {
    q.set("from", p.from!);
    q.set("to", p.to!);
  }
  if (p.key) q.set("key", p.key);
  return toSearchString(q);
}

/** The window on screen: a zoom when from/to are both set and ordered, else the trailing preset. */
export function resolveWindow(p: FailoverViewState, now: number): { from: number; to: number; zoomed: boolean } {
  if (p.from && p.to) {
    const from = Date.parse(p.from);
    const to = Date.parse(p.to);
    if (to > from) return { from, to, zoomed: true };
  }
  return { from: now - RANGE_PRESETS[p.range], to: now, zoomed: false };
}
