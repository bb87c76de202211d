/**
 * The outcome summary of one time range of ARRIVAL (stream) time, [from, to): the whole minutes inside it
 * from the per-minute rollups, the rest (the partial minutes at each end, and minutes not rolled up yet)
 * from the raw records. Pure; the server reads both parts (server/outcomes/range-query.ts).
 */
import { ROLLUP_MINUTE_MS, usableRollups, type OutcomeRollup } from "./rollup";
import { BUCKET_MS, OutcomeAggregator, WINDOW_BUCKETS } from "./stats";
import type { HistoryStatus, OutcomeRecord, OutcomeStats } from "./outcome";
import { handlerMinuteLatencies, latencyChart, type LatencyChart } from "./latency-chart";

export const ceilMinute = (t: number) => Math.ceil(t / ROLLUP_MINUTE_MS) * ROLLUP_MINUTE_MS;

/** What the used rollups stand for: the arrival span [from, to) and the stream sequences up to `lastSeq`. */
export interface RolledUpSpan {
  from: number;
  to: number;
  lastSeq: number;
}

/**
 * The stored rollups a range may use: whole minutes of [from, to) only, complete and following on from the
 * range's first whole minute. `covered` is the arrival span they stand for (null: none, all raw).
 */
export function rangeRollups(
  stored: readonly OutcomeRollup[],
  from: number,
  to: number,
): { rollups: OutcomeRollup[]; resumeSeq: number; covered: RolledUpSpan | null } {
  const first = ceilMinute(from);
  const inside = stored.filter((r) => r.minute >= first && r.minute + ROLLUP_MINUTE_MS <= to);
  const usable = usableRollups(inside);
  const covered = usable.lastMinute === null ? null : { from: first, to: usable.lastMinute + ROLLUP_MINUTE_MS, lastSeq: usable.resumeSeq };
  return { rollups: usable.rollups, resumeSeq: usable.resumeSeq, covered };
}

/**
 * Whether a raw record belongs to the range and is not already counted in a rollup: by stream sequence when it
 * has one (a minute's rollup holds exactly the records up to its last sequence), else by arrival time.
 */
export function countsAsRaw(r: OutcomeRecord, from: number, to: number, covered: RolledUpSpan | null): boolean {
  const arrived = Date.parse(r.received_at);
  if (!(arrived >= from && arrived < to)) return false;
  if (covered === null || arrived < covered.from) return true;
  return r.stream_seq !== undefined ? r.stream_seq > covered.lastSeq : arrived >= covered.to;
}

export interface RangeSummaryInput {
  rollups: readonly OutcomeRollup[];
  /** Raw records read around the rolled-up minutes; those outside [from, to) or inside a rollup are skipped. */
  raw: readonly OutcomeRecord[];
  from: number;
  to: number;
  history: HistoryStatus;
}

/** Header counts, handler table and error groups of exactly [from, to), as of its end. */
export function summarizeRange(input: RangeSummaryInput): OutcomeStats {
  const { rollups, covered } = rangeRollups(input.rollups, input.from, input.to);
  // the snapshot reads minutes' sketches of its last hour only (the latency series, the p95 jump)
  const agg = new OutcomeAggregator({ latencyBucketsFrom: (Math.floor(input.to / BUCKET_MS) - WINDOW_BUCKETS) * BUCKET_MS });
  for (const r of rollups) agg.addRollup(r);
  for (const r of input.raw) if (countsAsRaw(r, input.from, input.to, covered)) agg.add(r);
  return agg.snapshot(input.to, { stream_available: true, history: input.history });
}

/** One handler's latency chart over exactly [from, to): the same rollups and raw records summarizeRange counts. */
export function handlerRangeLatency(input: RangeSummaryInput, handler: string, maxPoints?: number): LatencyChart {
  const { rollups, covered } = rangeRollups(input.rollups, input.from, input.to);
  const raw = input.raw.filter((r) => r.handler_id === handler && countsAsRaw(r, input.from, input.to, covered));
  return latencyChart(handlerMinuteLatencies(rollups, raw, handler), input.from, input.to, maxPoints);
}
