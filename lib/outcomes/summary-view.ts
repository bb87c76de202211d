/**
 * What the browser needs of the outcome summary besides its types: the window constants and the orders the
 * panels sort by. Kept apart from the aggregator (stats.ts), which folds latency sketches the browser never needs.
 */
import type { ErrorGroup, HandlerSummary, OutcomeBucket } from "./outcome";

export const BUCKET_MS = 60_000;
export const SPARKLINE_BUCKETS = 15;

/** A group seen within this long is still firing. */
export const GROUP_ACTIVE_MS = SPARKLINE_BUCKETS * BUCKET_MS;

/** Groups still firing (seen in the last 15 min) first, then by count, then by recency. */
export function sortGroups(groups: ErrorGroup[], now: number): ErrorGroup[] {
  const active = (g: ErrorGroup) => (now - Date.parse(g.last_seen) <= GROUP_ACTIVE_MS ? 1 : 0);
  return groups.sort(
    (a, b) => active(b) - active(a) || b.count - a.count || (a.last_seen < b.last_seen ? 1 : a.last_seen > b.last_seen ? -1 : 0),
  );
}

/** Worst handler on top: flagged, then errored ratio, then malformed count, then name. */
export function sortHandlersWorstFirst(handlers: HandlerSummary[]): HandlerSummary[] {
  return [...handlers].sort(
    (a, b) =>
      Number(b.flagged) - Number(a.flagged) ||
      (b.errored_ratio ?? -1) - (a.errored_ratio ?? -1) ||
      b.malformed - a.malformed ||
      a.handler_id.localeCompare(b.handler_id),
  );
}

/** Every kind seen in a set of buckets, `logged` and `errored` first, for stable chart series. */
export function kindsOf(buckets: readonly OutcomeBucket[]): string[] {
  const seen = new Set<string>();
  for (const b of buckets) for (const k of Object.keys(b.kinds)) seen.add(k);
  const known = ["logged", "errored"].filter((k) => seen.has(k));
  return [...known, ...[...seen].filter((k) => !known.includes(k)).sort()];
}
