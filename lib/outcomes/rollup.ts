/**
 * Persisted per-minute outcome aggregates ("rollups"), so the summary of the last hour loads from ~60 small
 * records per handler rather than a replay of every outcome, which takes too long on a busy bus
 * (bench/RESULTS.md, bench:outcomes).
 *
 * A rollup covers one ARRIVAL minute (stream time) of one handler: what the aggregator would have folded
 * from that minute's records. Arrival minutes follow stream sequence order, so "every minute up to M is
 * rolled up" means "every record up to M's last sequence is" — the load resumes replay right after it.
 * Inside a rollup, timeline buckets stay keyed by outcome time, like the live aggregator's.
 */
import { z } from "zod";
import { OutcomeAggregator } from "./stats";
import { LatencySketchSchema } from "./latency";
import type { OutcomeRecord } from "./outcome";

export const ROLLUP_MINUTE_MS = 60_000;
/** A closed minute is written this long after it ends when no later record closes it first. */
export const ROLLUP_IDLE_GRACE_MS = 2_000;

const count = z.number().int().nonnegative();
const SeverityCountsSchema = z.object({ info: count, warn: count, high: count, critical: count });
const BucketSchema = z.object({
  t: z.number().int(),
  total: count,
  errored: count,
  malformed: count,
  severity: SeverityCountsSchema,
  kinds: z.record(z.string(), count),
  /** The bucket's durations; absent when none carried one, and in rollups written before latency was kept. */
  latency: LatencySketchSchema.optional(),
});

export const OutcomeRollupSchema = z.object({
  v: z.literal(1),
  /** Start of the arrival minute, epoch ms. */
  minute: z.number().int(),
  handler_id: z.string().min(1),
  /** How many rollups (handlers) the minute has: fewer stored means a writer died mid-minute. */
  handlers_in_minute: z.number().int().positive(),
  /** The last stream sequence of the minute, across handlers: replay resumes after it. */
  minute_last_seq: z.number().int().nonnegative(),
  total: count,
  errored: count,
  malformed: count,
  severity: SeverityCountsSchema,
  kinds: z.record(z.string(), count),
  /** The earliest outcome time; absent in rollups written before it was kept (the earliest bucket stands in). */
  first_t: z.number().nullable().optional(),
  last_t: z.number().nullable(),
  last_error_t: z.number().nullable(),
  buckets: z.array(BucketSchema),
  /** Durations of outcomes older than the bucket window (rare: a long-delayed outcome); absent when none. */
  unbucketed_latency: LatencySketchSchema.optional(),
  groups: z.array(
    z.object({
      /** The newest exception line as raised; rollups written before fingerprints have this alone. */
      exception: z.string(),
      /** The fingerprint pattern the group is keyed by (lib/outcomes/fingerprint.ts). */
      pattern: z.string().optional(),
      examples: z.array(z.object({ value: z.string(), count: count })).optional(),
      count: count,
      first_t: z.number(),
      last_t: z.number(),
      last_id: z.string(),
    }),
  ),
});
export type OutcomeRollup = z.infer<typeof OutcomeRollupSchema>;

export const floorMinute = (t: number) => Math.floor(t / ROLLUP_MINUTE_MS) * ROLLUP_MINUTE_MS;

/** Dedup key for JetStream (`Nats-Msg-Id`): two replicas writing the same minute store it once. */
export const rollupMsgId = (r: Pick<OutcomeRollup, "minute" | "handler_id">) => `rollup.${r.minute}.${r.handler_id}`;

export type ParsedRollup = { ok: true; rollup: OutcomeRollup } | { ok: false; error: string };

export function parseRollup(data: Uint8Array): ParsedRollup {
  try {
    const parsed = OutcomeRollupSchema.safeParse(JSON.parse(new TextDecoder().decode(data)));
    if (parsed.success) return { ok: true, rollup: parsed.data };
    return { ok: false, error: parsed.error.issues[0]?.message ?? "invalid rollup" };
  } catch (err) {
    return { ok: false, error: `not JSON: ${(err as Error).message}` };
  }
}

/**
 * The rollups a load may use, and where replay resumes: every minute from the first on is kept while each is
 * complete (all its handlers stored) and none is missing in between; the rest is recomputed from raw records.
 * Duplicates (the same minute and handler written twice outside the dedup window) count once.
 */
export function usableRollups(rollups: readonly OutcomeRollup[]): {
  rollups: OutcomeRollup[];
  resumeSeq: number;
  lastMinute: number | null;
} {
  const byMinute = new Map<number, Map<string, OutcomeRollup>>();
  for (const r of rollups) {
    const m = byMinute.get(r.minute) ?? new Map<string, OutcomeRollup>();
    if (!m.has(r.handler_id)) m.set(r.handler_id, r);
    byMinute.set(r.minute, m);
  }
  const kept: OutcomeRollup[] = [];
  let resumeSeq = 0;
  let lastMinute: number | null = null;
  for (const minute of [...byMinute.keys()].sort((a, b) => a - b)) {
    const handlers = [...byMinute.get(minute)!.values()];
    if (handlers.length < handlers[0]!.handlers_in_minute) break;
    // Minutes without outcomes have no rollups, so a gap is normal; sequences must still follow on.
    if (handlers[0]!.minute_last_seq < resumeSeq) break;
    kept.push(...handlers);
    resumeSeq = handlers[0]!.minute_last_seq;
    lastMinute = minute;
  }
  return { rollups: kept, resumeSeq, lastMinute };
}

/**
 * Folds records in arrival order and hands back each minute's rollups once the minute is closed — by a record
 * of a later minute, or by `closeIfIdle` once the stream has nothing newer and the minute is over.
 */
export class RollupBuilder {
  private minute: number | null = null;
  private agg = new OutcomeAggregator({ keepAllMinutes: true });
  private lastSeq = 0;

  add(r: OutcomeRecord, arrivedAt: number, seq: number): OutcomeRollup[] {
    // Folded already (a restarted history consumer replays from the last stored rollup): counted once.
    if (seq <= this.lastSeq) return [];
    const minute = floorMinute(arrivedAt);
    const closed = this.minute !== null && minute > this.minute ? this.close() : [];
    if (this.minute === null) this.minute = minute;
    this.agg.add(r);
    this.lastSeq = seq;
    return closed;
  }

  /** `streamLastSeq`: the stream's last sequence, read after the minute ended — nothing of it is still on the way. */
  closeIfIdle(now: number, streamLastSeq: number): OutcomeRollup[] {
    if (this.minute === null || streamLastSeq > this.lastSeq) return [];
    return now >= this.minute + ROLLUP_MINUTE_MS + ROLLUP_IDLE_GRACE_MS ? this.close() : [];
  }

  private close(): OutcomeRollup[] {
    const out = this.agg.toRollups(this.minute!, this.lastSeq);
    this.minute = null;
    this.agg = new OutcomeAggregator({ keepAllMinutes: true });
    return out;
  }
}
