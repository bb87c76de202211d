/** Severity/kind counts per time bucket: the timeline's and each handler's sparkline's unit. Pure, browser-safe. */
import { emptySeverityCounts, outcomeTime, type OutcomeBucket, type OutcomeRecord } from "./outcome";

export const emptyBucket = (t: number): OutcomeBucket => ({
  t,
  total: 0,
  errored: 0,
  malformed: 0,
  severity: emptySeverityCounts(),
  kinds: {},
});

export function resetBucket(b: OutcomeBucket, t: number): void {
  b.t = t;
  b.total = b.errored = b.malformed = 0;
  b.severity.info = b.severity.warn = b.severity.high = b.severity.critical = 0;
  b.kinds = {};
}

export function addToBucket(b: OutcomeBucket, r: OutcomeRecord): void {
  b.total++;
  if (!r.valid) {
    b.malformed++;
    return;
  }
  b.severity[r.body.severity]++;
  b.kinds[r.body.kind] = (b.kinds[r.body.kind] ?? 0) + 1;
  if (r.body.kind === "errored") b.errored++;
}

export function mergeBucket(into: OutcomeBucket, b: OutcomeBucket): void {
  into.total += b.total;
  into.errored += b.errored;
  into.malformed += b.malformed;
  for (const s of Object.keys(b.severity) as (keyof OutcomeBucket["severity"])[]) into.severity[s] += b.severity[s];
  for (const [k, n] of Object.entries(b.kinds)) into.kinds[k] = (into.kinds[k] ?? 0) + n;
}

/** Severity/kind buckets of `records` over [from, to), `count` equal buckets — for arbitrary ranges. */
export function timelineBuckets(records: readonly OutcomeRecord[], from: number, to: number, count: number): OutcomeBucket[] {
  const width = Math.max(1, Math.ceil((to - from) / Math.max(1, count)));
  const buckets = Array.from({ length: Math.max(1, count) }, (_, i) => emptyBucket(from + i * width));
  for (const r of records) {
    const t = outcomeTime(r);
    if (!(t >= from && t < to)) continue;
    addToBucket(buckets[Math.min(buckets.length - 1, Math.floor((t - from) / width))]!, r);
  }
  return buckets;
}
