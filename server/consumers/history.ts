/**
 * Bounded in-memory history of one consumer, so the detail charts work without Prometheus: every sample for
 * the last `rawSpanMs` (1 h by default) in a columnar ring, and one-minute buckets for `coarseSpanMs` (24 h)
 * beyond it. Columns are Float64Arrays that grow by doubling up to capacity, so an idle dashboard with many
 * consumers doesn't reserve an hour's worth of memory for each at start.
 */
import "server-only";
import { downsample, type SeriesPoint } from "../../lib/consumers/series";

const FIELDS = ["t", "lag_msgs", "lag_seconds", "consume_per_s", "ingest_per_s"] as const;
type Field = (typeof FIELDS)[number];

/** Fixed-capacity ring of SeriesPoints stored column-wise; null values are stored as NaN. */
export class SeriesRing {
  private cols: Record<Field, Float64Array>;
  private start = 0;
  private size = 0;

  constructor(
    readonly capacity: number,
    initial = 64,
  ) {
    const n = Math.min(capacity, initial);
    this.cols = Object.fromEntries(FIELDS.map((f) => [f, new Float64Array(n)])) as Record<Field, Float64Array>;
  }

  get length() {
    return this.size;
  }

  push(p: SeriesPoint): void {
    if (this.size === this.cols.t.length && this.size < this.capacity) this.grow();
    const len = this.cols.t.length;
    const i = (this.start + this.size) % len;
    for (const f of FIELDS) this.cols[f][i] = p[f] ?? NaN;
    if (this.size < len) this.size++;
    else this.start = (this.start + 1) % len;
  }

  at(k: number): SeriesPoint {
    const i = (this.start + k) % this.cols.t.length;
    const v = (f: Field) => {
      const x = this.cols[f][i]!;
      return Number.isNaN(x) ? null : x;
    };
    return {
      t: this.cols.t[i]!,
      lag_msgs: this.cols.lag_msgs[i]!,
      lag_seconds: v("lag_seconds"),
      consume_per_s: v("consume_per_s"),
      ingest_per_s: v("ingest_per_s"),
    };
  }

  last(): SeriesPoint | null {
    return this.size ? this.at(this.size - 1) : null;
  }

  /** Points with t >= since, oldest first (points are pushed in time order: found from the newest back). */
  since(since: number): SeriesPoint[] {
    let from = this.size;
    while (from > 0 && this.cols.t[(this.start + from - 1) % this.cols.t.length]! >= since) from--;
    const out: SeriesPoint[] = [];
    for (let k = from; k < this.size; k++) out.push(this.at(k));
    return out;
  }

  /** The newest `n` values of one column, oldest first: `same` itself when it holds exactly those values. */
  tail(field: Field, n: number, same?: readonly number[]): number[] {
    const from = Math.max(0, this.size - n);
    const col = this.cols[field];
    const len = this.cols.t.length;
    if (same !== undefined && same.length === this.size - from) {
      let k = from;
      while (k < this.size && col[(this.start + k) % len] === same[k - from]) k++;
      if (k === this.size) return same as number[];
    }
    const out: number[] = [];
    for (let k = from; k < this.size; k++) out.push(col[(this.start + k) % len]!);
    return out;
  }

  private grow() {
    const next = Math.min(this.capacity, this.cols.t.length * 2);
    for (const f of FIELDS) {
      const col = new Float64Array(next);
      for (let k = 0; k < this.size; k++) col[k] = this.cols[f][(this.start + k) % this.cols[f].length]!;
      this.cols[f] = col;
    }
    this.start = 0;
  }
}

export interface HistoryOptions {
  intervalMs: number;
  rawSpanMs?: number;
  coarseBucketMs?: number;
  coarseSpanMs?: number;
}

export class ConsumerHistory {
  private readonly raw: SeriesRing;
  private readonly coarse: SeriesRing;
  private readonly bucketMs: number;
  /** The minute being collected (its points are in the raw ring), null before the first point. */
  private openBucket: number | null = null;

  constructor(opts: HistoryOptions) {
    const rawSpan = opts.rawSpanMs ?? 60 * 60_000;
    this.bucketMs = opts.coarseBucketMs ?? 60_000;
    // a little headroom: ticks can come slightly faster than the nominal interval; and the open bucket's
    // points must all be in it when the bucket closes
    this.raw = new SeriesRing(Math.ceil((Math.max(rawSpan, this.bucketMs) / opts.intervalMs) * 1.1) + 1);
    this.coarse = new SeriesRing(Math.ceil((opts.coarseSpanMs ?? 24 * 60 * 60_000) / this.bucketMs));
  }

  add(p: SeriesPoint): void {
    const bucket = Math.floor(p.t / this.bucketMs);
    if (this.openBucket !== null && this.openBucket !== bucket) this.closeBucket(this.openBucket);
    this.openBucket = bucket;
    this.raw.push(p);
  }

  /**
   * The closed minute's coarse point, from its points in the raw ring. (They were kept in a list of their own
   * as well: up to 60 objects per consumer with a history, which every major GC marked.)
   */
  private closeBucket(bucket: number): void {
    const points = this.raw.since(bucket * this.bucketMs);
    if (points.length > 0) this.coarse.push(downsample(points, 1)[0]!);
  }

  /** Points since `since`, at most `maxPoints`: raw where it reaches back far enough, else coarse buckets then raw. */
  query(since: number, maxPoints: number): SeriesPoint[] {
    const oldestRaw = this.raw.length ? this.raw.at(0).t : Infinity;
    const points =
      since >= oldestRaw ? this.raw.since(since) : [...this.coarse.since(since).filter((p) => p.t < oldestRaw), ...this.raw.since(since)];
    return downsample(points, maxPoints);
  }

  /** Recent lag in messages for a sparkline; `prev` itself when it already holds them. */
  spark(n: number, prev?: readonly number[]): number[] {
    return this.raw.tail("lag_msgs", n, prev);
  }
}
