/**
 * History that outlives the process (docs/history.md): the elected sampler keeps one point per step (10 s by default)
 * of what it samples in busdeck's own JetStream stream, as compact rows — one message per stream's consumers
 * and one for all streams per step. This module is the pure part: downsampling, row encoding, reading rows
 * back as chart points, and merging them with the in-memory recent window.
 */
import { z } from "zod";
import { HEALTH_STATUSES, type HealthStatus } from "../consumers/health";
import type { SeriesPoint, StatusChange } from "../consumers/series";
import { formatCount, formatDuration } from "../format";
import type { ConsumerSummary, ConsumersSnapshot } from "../consumers/types";
import type { RatePoint } from "../streams/rate-history";
import type { StreamsSnapshot } from "../streams/types";

export const HISTORY_VERSION = 1;

export const historySubjects = (prefix: string) => ({
  all: `${prefix}.history.>`,
  consumers: (stream: string) => `${prefix}.history.consumers.${stream}`,
  streams: `${prefix}.history.streams`,
  /** The bus servers' figures (lib/bus/server-history.ts). */
  servers: `${prefix}.history.servers`,
});

/** [name, num_pending, num_ack_pending, lag_seconds, consume_per_s, ingest_per_s, status] */
export type ConsumerRow = [string, number, number, number | null, number | null, number | null, HealthStatus | null];
/** [name, msgs_per_s, bytes_per_s, messages, bytes] */
export type StreamRow = [string, number | null, number | null, number, number];

export interface ConsumerRecord {
  v: typeof HISTORY_VERSION;
  /** sample time, epoch ms */
  t: number;
  stream: string;
  rows: ConsumerRow[];
}

export interface StreamRecord {
  v: typeof HISTORY_VERSION;
  t: number;
  rows: StreamRow[];
}

const num = z.number();
const maybe = z.number().nullable();
export const ConsumerRecordSchema = z.object({
  v: z.literal(HISTORY_VERSION),
  t: num,
  stream: z.string(),
  rows: z.array(z.tuple([z.string(), num, num, maybe, maybe, maybe, z.enum(HEALTH_STATUSES).nullable()])),
});
export const StreamRecordSchema = z.object({
  v: z.literal(HISTORY_VERSION),
  t: num,
  rows: z.array(z.tuple([z.string(), maybe, maybe, num, num])),
});

// ─── downsampling ──────────────────────────────────────────────────────────────────────────────────────────

export interface HistorySample {
  t: number;
  streams: StreamsSnapshot;
  consumers: ConsumersSnapshot;
}

/** A sample as history sees it; null for a failed tick that never sampled (no time to file it under). */
export function historySample(streams: StreamsSnapshot, consumers: ConsumersSnapshot): HistorySample | null {
  const t = consumers.sampled_at ? Date.parse(consumers.sampled_at) : NaN;
  return Number.isNaN(t) ? null : { t, streams, consumers };
}

/**
 * Keeps the last sample of the current step; hands back the previous step's last sample when a sample of a
 * later step arrives. Every replica sees the same samples, so every replica closes the same step with the
 * same point — whichever of them writes it (the leader; a new one after a takeover) writes the same bytes.
 */
export class StepDownsampler<S extends { t: number } = HistorySample> {
  private held: S | null = null;

  constructor(readonly stepMs: number) {}

  offer(s: S): S | null {
    const held = this.held;
    if (held && s.t <= held.t) return null; // a repeat (a failed tick keeps sampled_at) or out of order
    this.held = s;
    return held && stepOf(held.t, this.stepMs) !== stepOf(s.t, this.stepMs) ? held : null;
  }
}

export const stepOf = (t: number, stepMs: number) => Math.floor(t / stepMs);

// ─── encoding ──────────────────────────────────────────────────────────────────────────────────────────────

const round = (x: number | null | undefined, digits = 1000) => (x === null || x === undefined ? null : Math.round(x * digits) / digits);

export function consumerRow(c: ConsumerSummary): ConsumerRow {
  const i = c.insight;
  return [
    c.name,
    c.num_pending,
    c.num_ack_pending,
    round(i?.lag_seconds),
    round(i?.consume_per_s),
    round(i?.ingest_per_s),
    i?.health.status ?? null,
  ];
}

/** One record per stream holding its consumers' rows, in the snapshot's order. */
export function consumerRecords(t: number, consumers: readonly ConsumerSummary[]): ConsumerRecord[] {
  const byStream = new Map<string, ConsumerRow[]>();
  for (const c of consumers) {
    let rows = byStream.get(c.stream);
    if (!rows) byStream.set(c.stream, (rows = []));
    rows.push(consumerRow(c));
  }
  return [...byStream].map(([stream, rows]) => ({ v: HISTORY_VERSION, t, stream, rows }));
}

export function streamRecord(t: number, streams: StreamsSnapshot): StreamRecord {
  return {
    v: HISTORY_VERSION,
    t,
    rows: streams.streams.map((s) => [s.name, round(s.rates?.msgs_per_s), round(s.rates?.bytes_per_s), s.state.messages, s.state.bytes]),
  };
}

/** Message id of a step's record: JetStream drops a second write of the same step (two leaders overlapping). */
export const recordMsgId = (kind: "c" | "s" | "b", stream: string | null, t: number, stepMs: number) =>
  `busdeck-history/${kind}/${stream ?? ""}/${stepOf(t, stepMs)}`;

// ─── reading back ──────────────────────────────────────────────────────────────────────────────────────────

export interface PersistedConsumerPoint extends SeriesPoint {
  status: HealthStatus | null;
}

export function consumerPoint(record: ConsumerRecord, name: string): PersistedConsumerPoint | null {
  const row = record.rows.find((r) => r[0] === name);
  if (!row) return null;
  const [, pending, ackPending, lagSeconds, consume, ingest, status] = row;
  return { t: record.t, lag_msgs: pending + ackPending, lag_seconds: lagSeconds, consume_per_s: consume, ingest_per_s: ingest, status };
}

/**
 * Status changes read back from persisted points older than `before` (where the in-memory status history, which
 * keeps each change's rule and evidence, does not reach), newest first like the live list. History keeps only
 * the status per step, so the rule is "history" and the evidence is the lag recorded at that step; the first
 * point counts as a change, so a range that starts in trouble says so.
 */
export function statusChangesFromHistory(
  points: readonly (SeriesPoint & { status?: HealthStatus | null })[],
  before: number,
): StatusChange[] {
  const changes: StatusChange[] = [];
  let previous: HealthStatus | null = null;
  for (const p of points) {
    if (p.t >= before) break;
    if (!p.status || p.status === previous) continue;
    const lag = `${formatCount(p.lag_msgs)} msgs behind${p.lag_seconds === null ? "" : `, ${formatDuration(p.lag_seconds * 1000)}`}`;
    changes.push({
      at: new Date(p.t).toISOString(),
      status: p.status,
      rule: "history",
      evidence: `${previous ? `from ${previous}` : "first stored step"}; ${lag} (stored history)`,
    });
    previous = p.status;
  }
  return changes.reverse();
}

export function streamPoint(record: StreamRecord, name: string): RatePoint | null {
  const row = record.rows.find((r) => r[0] === name);
  if (!row || row[1] === null || row[2] === null) return null; // no rate yet (first sample of a stream)
  return { t: record.t, msgs_per_s: row[1], bytes_per_s: row[2], messages: row[3], bytes: row[4] };
}

/**
 * Persisted points (older, one per step) followed by the in-memory recent window (every sample): a
 * persisted point is used only where the recent window does not reach, so nothing is shown twice.
 */
export function mergeSeries<P extends { t: number }>(persisted: readonly P[], recent: readonly P[]): P[] {
  const recentFrom = recent.length ? recent[0]!.t : Infinity;
  return [...persisted.filter((p) => p.t < recentFrom), ...recent];
}

/**
 * The part of a chart's range to read from persisted history: from the range's start to where the in-memory
 * window begins (or the range's end). A live range's edges are rounded to 1/48 of its span, so the request, large over
 * a long range (docs/history.md), repeats at most every half hour for a day-long view, not every tick.
 */
export function persistedSpan(from: number, to: number, live: boolean, recentStart: number | null): { from: number; to: number } | null {
  const end = Math.min(to, recentStart ?? Infinity);
  if (!live) return end > from ? { from, to: end } : null;
  const grain = Math.max(1_000, Math.floor((to - from) / 48));
  const roundedFrom = Math.floor(from / grain) * grain;
  const roundedTo = Math.ceil(end / grain) * grain;
  return roundedTo > roundedFrom ? { from: roundedFrom, to: roundedTo } : null;
}

// ─── query parameters ──────────────────────────────────────────────────────────────────────────────────────

/** The longest range one request may read (the stream keeps 24 h by default). */
export const MAX_HISTORY_SPAN_MS = 7 * 24 * 3600_000;

// (messages without the name: the route's 400 prefixes each with its parameter path)
const isoTime = z
  .string({ message: "required, an ISO-8601 time" })
  .refine((s) => !Number.isNaN(Date.parse(s)), "an ISO-8601 time like 2026-11-23T14:00:00Z");

export const HistoryRangeQuerySchema = z
  .object({ from: isoTime, to: isoTime })
  .transform((q) => ({ from: Date.parse(q.from), to: Date.parse(q.to) }))
  .superRefine((q, ctx) => {
    if (q.to <= q.from) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
    if (q.to - q.from > MAX_HISTORY_SPAN_MS) ctx.addIssue({ code: "custom", path: ["to"], message: "at most 7 days after from" });
  });

export interface ConsumerHistoryRange {
  stream: string;
  consumer: string;
  from: string;
  to: string;
  step_ms: number;
  points: PersistedConsumerPoint[];
  /** False when the read stopped early (too many records, timeout): the oldest part may be missing. */
  complete: boolean;
}

export interface StreamHistoryRange {
  stream: string;
  from: string;
  to: string;
  step_ms: number;
  points: RatePoint[];
  complete: boolean;
}
