/**
 * Aggregations of reflex outcomes: per-handler summary, error groups and severity/kind timeline buckets.
 * Pure: time comes from the records and from the `now` passed to snapshot(). The aggregator is mutable on
 * purpose — ingest folds 100k+ records/s into fixed-size rings, and only snapshot() allocates.
 */
import {
  emptySeverityCounts,
  groupLine,
  outcomeTime,
  type HandlerSummary,
  type HistoryStatus,
  type LatencyPoint,
  type OutcomeBucket,
  type OutcomeRecord,
  type OutcomeStats,
} from "./outcome";
import type { OutcomeRollup } from "./rollup";
import type { DDSketch } from "@datadog/sketches-js";
import { encodeLatency, latencyJumped, latencyQuantiles, mergeStoredLatency, newLatencySketch } from "./latency-sketch";
import { silenceOf } from "./silence";
import { GroupBook, groupCountsOf } from "./groups";
import { fingerprint, exampleValue } from "./fingerprint";

export { MAX_GROUPS } from "./groups";
export { emptyBucket, timelineBuckets } from "./buckets";
import { addToBucket, emptyBucket, mergeBucket, resetBucket } from "./buckets";
export { BUCKET_MS, GROUP_ACTIVE_MS, kindsOf, SPARKLINE_BUCKETS, sortGroups, sortHandlersWorstFirst } from "./summary-view";
import { BUCKET_MS, SPARKLINE_BUCKETS, sortGroups } from "./summary-view";

/** Buckets kept per handler: one hour of per-minute history for the default timeline. */
export const WINDOW_BUCKETS = 60;
/** The jump detector compares the last RECENT buckets against the BASELINE buckets before them. */
export const RECENT_BUCKETS = 5;
export const BASELINE_BUCKETS = 10;
const RATE_WINDOW_S = 60;
/**
 * Minutes a rollup keeps per handler outside the bucket window (outcome times spread over more than an hour within
 * one arrival minute, e.g. a backlog replayed); beyond them durations go to the unbucketed sketch.
 */
export const MAX_SPILLED_MINUTES = 1_440;

/**
 * A handler is flagged when its errored ratio of the last minutes jumped against the minutes before: enough
 * errors to matter (≥ 3, ≥ 10 %) and at least double the baseline plus a margin, so a steady 50 % error rate
 * is a known state, not an alarm.
 */
export function erroredRatioJumped(recent: { errored: number; total: number }, baseline: { errored: number; total: number }): boolean {
  if (recent.total === 0 || recent.errored < 3) return false;
  const r = recent.errored / recent.total;
  const b = baseline.total === 0 ? 0 : baseline.errored / baseline.total;
  return r >= 0.1 && r >= 2 * b + 0.05;
}

interface HandlerState {
  handler_id: string;
  total: number;
  errored: number;
  malformed: number;
  first_t: number;
  last_t: number;
  last_error_t: number;
  severity: OutcomeBucket["severity"];
  kinds: Record<string, number>;
  buckets: OutcomeBucket[];
  /** Durations of all outcomes folded; of each bucket's (same index); of those older than the bucket window. */
  latency: DDSketch;
  bucketLatency: DDSketch[];
  unbucketedLatency: DDSketch;
  /** keepAllMinutes only: the minutes outside the ring, each with its durations, by start. */
  spilled: Map<number, { bucket: OutcomeBucket; latency: DDSketch }>;
  /** Per-second counts for the rate over the last minute. */
  secIndex: Float64Array;
  secCount: Uint32Array;
}

const newHandler = (id: string): HandlerState => ({
  handler_id: id,
  total: 0,
  errored: 0,
  malformed: 0,
  first_t: Infinity,
  last_t: -Infinity,
  last_error_t: -Infinity,
  severity: emptySeverityCounts(),
  kinds: {},
  buckets: Array.from({ length: WINDOW_BUCKETS }, () => emptyBucket(-1)),
  latency: newLatencySketch(),
  bucketLatency: Array.from({ length: WINDOW_BUCKETS }, newLatencySketch),
  unbucketedLatency: newLatencySketch(),
  spilled: new Map(),
  secIndex: new Float64Array(RATE_WINDOW_S).fill(-1),
  secCount: new Uint32Array(RATE_WINDOW_S),
});

const isoOrNull = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : null);

/** A sketch as a rollup field: undefined (left out of the JSON) when it holds no durations, so they cost nothing. */
const storedLatency = (s: DDSketch) => encodeLatency(s) ?? undefined;

export class OutcomeAggregator {
  private readonly handlers = new Map<string, HandlerState>();
  private readonly groups = new GroupBook();
  total = 0;
  malformed = 0;

  /**
   * `keepAllMinutes` (the rollup builder's): a minute that leaves the bucket ring, or is older than it, is kept
   * with its counts and durations rather than dropped, so a rollup holds every minute its records fall in. Only
   * such an aggregator keeps the unbucketed sketch too: only rollups carry it, and a day's range summary merged
   * every minute leaving the ring into it (1,380 sketch merges a handler) for nothing.
   * `latencyBucketsFrom` (a range summary's): rolled-up minutes before it add their durations to the handler's
   * whole-range sketch only, not to a minute's — the minute would leave the ring before the snapshot reads it.
   */
  constructor(private readonly opts: { keepAllMinutes?: boolean; latencyBucketsFrom?: number } = {}) {}

  private get keepsUnbucketed(): boolean {
    return this.opts.keepAllMinutes === true;
  }

  add(r: OutcomeRecord): void {
    const t = outcomeTime(r);
    let h = this.handlers.get(r.handler_id);
    if (!h) this.handlers.set(r.handler_id, (h = newHandler(r.handler_id)));
    this.total++;
    h.total++;
    // History can arrive after live records (a stream replay), so "last" is by time, not arrival order.
    if (t > h.last_t) h.last_t = t;
    if (t < h.first_t) h.first_t = t;
    const duration = r.valid ? r.body.duration_ms : undefined;
    if (duration !== undefined) h.latency.accept(duration);
    if (!r.valid) {
      this.malformed++;
      h.malformed++;
    } else {
      h.severity[r.body.severity]++;
      h.kinds[r.body.kind] = (h.kinds[r.body.kind] ?? 0) + 1;
      if (r.body.kind === "errored") {
        h.errored++;
        if (t > h.last_error_t) h.last_error_t = t;
        this.addToGroup(r, t);
      }
    }
    const bi = Math.floor(t / BUCKET_MS);
    const slot = this.bucketFor(h, bi * BUCKET_MS);
    if (slot < 0) {
      // Older than the window (or timeless): counted in totals only, unless its minute is kept apart.
      const kept = this.spilledMinute(h, bi * BUCKET_MS);
      if (kept) {
        addToBucket(kept.bucket, r);
        if (duration !== undefined) kept.latency.accept(duration);
      } else if (duration !== undefined && this.keepsUnbucketed) h.unbucketedLatency.accept(duration);
      return;
    }
    addToBucket(h.buckets[slot]!, r);
    if (duration !== undefined) h.bucketLatency[slot]!.accept(duration);
    const si = Math.floor(t / 1000);
    const ss = si % RATE_WINDOW_S;
    if (h.secIndex[ss] !== si) {
      if (h.secIndex[ss]! > si) return;
      h.secIndex[ss] = si;
      h.secCount[ss] = 0;
    }
    h.secCount[ss]!++;
  }

  /** The ring slot of the bucket starting at `t`, reset when it held an older minute; -1 when `t` is older than the window. */
  private bucketFor(h: HandlerState, t: number): number {
    if (Number.isNaN(t)) return -1;
    const slot = (t / BUCKET_MS) % WINDOW_BUCKETS;
    const b = h.buckets[slot]!;
    if (b.t !== t) {
      if (b.t > t) return -1;
      const kept = b.t >= 0 && b.total > 0 ? this.spilledMinute(h, b.t) : null;
      if (kept) {
        // The minute leaving the ring moves whole to the kept ones; the slot starts afresh.
        mergeBucket(kept.bucket, b);
        kept.latency.merge(h.bucketLatency[slot]!);
      } else if (this.keepsUnbucketed && h.bucketLatency[slot]!.count > 0) h.unbucketedLatency.merge(h.bucketLatency[slot]!);
      resetBucket(b, t);
      h.bucketLatency[slot] = newLatencySketch();
    }
    return slot;
  }

  /** keepAllMinutes only: minute `t`'s kept bucket, made on first use while under the cap; else null. */
  private spilledMinute(h: HandlerState, t: number): { bucket: OutcomeBucket; latency: DDSketch } | null {
    if (!this.opts.keepAllMinutes || !Number.isFinite(t)) return null;
    let kept = h.spilled.get(t);
    if (!kept && h.spilled.size < MAX_SPILLED_MINUTES) h.spilled.set(t, (kept = { bucket: emptyBucket(t), latency: newLatencySketch() }));
    return kept ?? null;
  }

  addAll(records: readonly OutcomeRecord[]): void {
    for (const r of records) this.add(r);
  }

  /** Everything folded so far, one rollup per handler: the persisted form of a closed arrival minute. */
  toRollups(minute: number, minuteLastSeq: number): OutcomeRollup[] {
    const finite = (t: number) => (Number.isFinite(t) ? t : null);
    return [...this.handlers.values()].map((h) => ({
      v: 1 as const,
      minute,
      handler_id: h.handler_id,
      handlers_in_minute: this.handlers.size,
      minute_last_seq: minuteLastSeq,
      total: h.total,
      errored: h.errored,
      malformed: h.malformed,
      severity: { ...h.severity },
      kinds: { ...h.kinds },
      first_t: finite(h.first_t),
      last_t: finite(h.last_t),
      last_error_t: finite(h.last_error_t),
      buckets: [
        ...h.buckets.flatMap((b, i) =>
          b.t >= 0 && b.total > 0
            ? [{ ...b, severity: { ...b.severity }, kinds: { ...b.kinds }, latency: storedLatency(h.bucketLatency[i]!) }]
            : [],
        ),
        ...[...h.spilled.values()].map(({ bucket: b, latency }) => ({
          ...b,
          severity: { ...b.severity },
          kinds: { ...b.kinds },
          latency: storedLatency(latency),
        })),
      ],
      unbucketed_latency: storedLatency(h.unbucketedLatency),
      groups: this.groups
        .groups()
        .filter((g) => g.handler_id === h.handler_id)
        .map(({ pattern, exception, count, first_t, last_t, last_id, examples }) => ({
          pattern,
          exception,
          count,
          first_t,
          last_t,
          last_id,
          examples: examples.map((e) => ({ ...e })),
        })),
    }));
  }

  /** Folds a persisted rollup as if its records had been added (all but the per-second rate, which is live-only). */
  addRollup(r: OutcomeRollup): void {
    let h = this.handlers.get(r.handler_id);
    if (!h) this.handlers.set(r.handler_id, (h = newHandler(r.handler_id)));
    this.total += r.total;
    this.malformed += r.malformed;
    h.total += r.total;
    h.errored += r.errored;
    h.malformed += r.malformed;
    if (r.last_t !== null && r.last_t > h.last_t) h.last_t = r.last_t;
    // Rollups written before first_t existed: the earliest bucket's start stands in for it.
    const firstT = r.first_t ?? (r.buckets.length > 0 ? Math.min(...r.buckets.map((b) => b.t)) : null);
    if (firstT !== null && firstT < h.first_t) h.first_t = firstT;
    if (r.last_error_t !== null && r.last_error_t > h.last_error_t) h.last_error_t = r.last_error_t;
    for (const s of Object.keys(r.severity) as (keyof OutcomeBucket["severity"])[]) h.severity[s] += r.severity[s];
    for (const [k, n] of Object.entries(r.kinds)) h.kinds[k] = (h.kinds[k] ?? 0) + n;
    // Rollups written before latency was kept have no sketch: those minutes add no durations.
    for (const b of r.buckets) {
      if (b.latency) mergeStoredLatency(h.latency, b.latency);
      const slot = this.bucketFor(h, b.t);
      if (slot < 0) {
        if (b.latency && this.keepsUnbucketed) mergeStoredLatency(h.unbucketedLatency, b.latency);
        continue;
      }
      mergeBucket(h.buckets[slot]!, b);
      if (b.latency && b.t >= (this.opts.latencyBucketsFrom ?? -Infinity)) mergeStoredLatency(h.bucketLatency[slot]!, b.latency);
    }
    if (r.unbucketed_latency) {
      mergeStoredLatency(h.latency, r.unbucketed_latency);
      if (this.keepsUnbucketed) mergeStoredLatency(h.unbucketedLatency, r.unbucketed_latency);
    }
    for (const g of r.groups) this.mergeGroup(r.handler_id, g);
  }

  /** A rollup's group; one persisted before fingerprints has its exact line only, fingerprinted here. */
  private mergeGroup(handler_id: string, g: OutcomeRollup["groups"][number]): void {
    const fp = g.pattern === undefined ? fingerprint(g.exception) : null;
    this.groups.add(handler_id, {
      ...g,
      pattern: g.pattern ?? fp!.pattern,
      examples: g.examples ?? [{ value: exampleValue(fp!), count: g.count }],
    });
  }

  private addToGroup(r: OutcomeRecord & { valid: true }, t: number): void {
    this.groups.add(r.handler_id, groupCountsOf(groupLine(r.body), t, r.id));
  }

  /** The whole view state at `now`; the only place that allocates per handler. */
  snapshot(now: number, meta: { stream_available: boolean | null; history: HistoryStatus }): OutcomeStats {
    const nowBucket = Math.floor(now / BUCKET_MS);
    const timeline = Array.from({ length: WINDOW_BUCKETS }, (_, i) => emptyBucket((nowBucket - WINDOW_BUCKETS + 1 + i) * BUCKET_MS));
    const handlers: Record<string, HandlerSummary> = {};
    for (const h of this.handlers.values()) {
      const window = this.windowOf(h, nowBucket);
      window.forEach((b, i) => mergeBucket(timeline[i]!, b));
      const sparkline = window.slice(-SPARKLINE_BUCKETS);
      const sum = (bs: OutcomeBucket[]) =>
        bs.reduce((a, b) => ({ errored: a.errored + b.errored, total: a.total + b.total }), { errored: 0, total: 0 });
      const spark = sum(sparkline);
      const recent = sum(window.slice(-RECENT_BUCKETS));
      const baseline = sum(window.slice(-RECENT_BUCKETS - BASELINE_BUCKETS, -RECENT_BUCKETS));
      const ratio = (x: { errored: number; total: number }) => (x.total === 0 ? null : x.errored / x.total);
      handlers[h.handler_id] = {
        handler_id: h.handler_id,
        total: h.total,
        errored: h.errored,
        malformed: h.malformed,
        last_at: isoOrNull(h.last_t),
        last_error_at: isoOrNull(h.last_error_t),
        severity: { ...h.severity },
        kinds: { ...h.kinds },
        rate_per_s: this.rate(h, now),
        errored_ratio: ratio(spark),
        recent_errored_ratio: ratio(recent),
        baseline_errored_ratio: ratio(baseline),
        flagged: erroredRatioJumped(recent, baseline),
        sparkline,
        latency: latencyQuantiles(h.latency),
        latency_jump: latencyJumped(
          this.windowLatency(h, nowBucket, -RECENT_BUCKETS),
          this.windowLatency(h, nowBucket, 0, -RECENT_BUCKETS),
        ),
        latency_series: this.latencySeries(h, nowBucket),
        silent: silenceOf({ count: h.total, first_t: h.first_t, last_t: h.last_t }, now),
      };
    }
    return {
      ...meta,
      total: this.total,
      malformed: this.malformed,
      handlers,
      groups: sortGroups(this.groups.toErrorGroups(), now),
      timeline,
      bucket_ms: BUCKET_MS,
      computed_at: new Date(now).toISOString(),
    };
  }

  /** The ring slot holding bucket `bi`, or -1 when the ring holds another minute there. */
  private slotOf(h: HandlerState, bi: number): number {
    const slot = ((bi % WINDOW_BUCKETS) + WINDOW_BUCKETS) % WINDOW_BUCKETS;
    return h.buckets[slot]!.t === bi * BUCKET_MS ? slot : -1;
  }

  /** The durations of the window's buckets [start, end) (indices into the window as slice() takes them), merged. */
  private windowLatency(h: HandlerState, nowBucket: number, start: number, end = WINDOW_BUCKETS): DDSketch {
    const out = newLatencySketch();
    const first = nowBucket - WINDOW_BUCKETS + 1;
    const [from, to] = [start < 0 ? WINDOW_BUCKETS + start : start, end < 0 ? WINDOW_BUCKETS + end : end];
    for (let bi = first + from; bi < first + to; bi++) {
      const slot = this.slotOf(h, bi);
      if (slot >= 0) out.merge(h.bucketLatency[slot]!);
    }
    return out;
  }

  /** p50/p95/p99 of each minute of the window that has durations. */
  private latencySeries(h: HandlerState, nowBucket: number): LatencyPoint[] {
    const out: LatencyPoint[] = [];
    for (let bi = nowBucket - WINDOW_BUCKETS + 1; bi <= nowBucket; bi++) {
      const slot = this.slotOf(h, bi);
      const q = slot >= 0 ? latencyQuantiles(h.bucketLatency[slot]!) : null;
      if (q) out.push({ t: bi * BUCKET_MS, ...q });
    }
    return out;
  }

  private windowOf(h: HandlerState, nowBucket: number): OutcomeBucket[] {
    const out: OutcomeBucket[] = [];
    for (let bi = nowBucket - WINDOW_BUCKETS + 1; bi <= nowBucket; bi++) {
      const b = h.buckets[((bi % WINDOW_BUCKETS) + WINDOW_BUCKETS) % WINDOW_BUCKETS]!;
      out.push(b.t === bi * BUCKET_MS ? { ...b, severity: { ...b.severity }, kinds: { ...b.kinds } } : emptyBucket(bi * BUCKET_MS));
    }
    return out;
  }

  private rate(h: HandlerState, now: number): number {
    const nowS = Math.floor(now / 1000);
    let n = 0;
    for (let i = 0; i < RATE_WINDOW_S; i++) {
      const s = h.secIndex[i]!;
      if (s > nowS - RATE_WINDOW_S && s <= nowS) n += h.secCount[i]!;
    }
    return n / RATE_WINDOW_S;
  }
}
