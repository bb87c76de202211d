/**
 * Wire format of the elected sampler's fan-out (docs/architecture.md, "Sampler election"): the leader publishes
 * each sample on `<prefix>.sample.*` and every other replica feeds it into its own hub.
 *
 * A large fleet's sample is far bigger than NATS's max_payload (1 MiB by default), so the item lists travel
 * in chunks bounded by bytes, then one small commit names how many chunks
 * make the sample. A replica applies a sample only once all of it has arrived — never half a consumer list.
 * One publisher connection and one subscription keep NATS's per-publisher ordering, so chunks precede their
 * commit.
 */
import { LossForecastSchema } from "../consumers/loss-forecast";
import { z } from "zod";
import { HEALTH_STATUSES } from "../consumers/health";
import type { ConsumersSnapshot, ConsumerSummary } from "../consumers/types";
import type { StreamsSnapshot, StreamSummary } from "../streams/types";
import { TAP_MODES, type BusSubjectsSnapshot } from "../bus/subject-tap";

export const SAMPLE_WIRE_VERSION = 1;

export const sampleSubjects = (prefix: string) => ({
  all: `${prefix}.sample.>`,
  streams: `${prefix}.sample.streams`,
  consumers: `${prefix}.sample.consumers`,
  commit: `${prefix}.sample.commit`,
  /** The elected sampler's subject tap state (`bus_subjects`), whole, each time its tap publishes it. */
  tap: `${prefix}.sample.tap`,
  /** Replicas announce themselves here: a leader with nobody listening publishes nothing. */
  hello: `${prefix}.sample.hello`,
});

/** NATS header naming the replica that published a fan-out message, so receivers skip their own echo unparsed. */
export const ORIGIN_HEADER = "Busdeck-Origin";

/** Who sampled and when in its tenure: `lock_rev` orders leaders (a takeover writes a higher revision). */
export interface SampleOrigin {
  v: typeof SAMPLE_WIRE_VERSION;
  leader: string;
  lock_rev: number;
  /** The leader's own sample counter, increasing by one per tick. */
  seq: number;
}

export type ChunkKind = "streams" | "consumers";

export interface SampleChunk<T> extends SampleOrigin {
  chunk: number;
  items: T[];
}

export interface SampleCommit extends SampleOrigin {
  chunks: Record<ChunkKind, number>;
  streams: Omit<StreamsSnapshot, "streams">;
  consumers: Omit<ConsumersSnapshot, "consumers">;
}

export interface AssembledSample {
  origin: SampleOrigin;
  streams: StreamsSnapshot;
  consumers: ConsumersSnapshot;
}

// ─── encoding ──────────────────────────────────────────────────────────────────────────────────────────────

/** UTF-8 byte length without allocating (names may be non-ASCII; payload limits are in bytes). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * Groups already-serialized items into arrays whose joined size stays under `maxBytes`. Each item is
 * serialized once by the caller; an item larger than the budget on its own travels alone.
 */
export function chunkByBytes(items: readonly string[], maxBytes: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const item of items) {
    const cost = utf8Length(item) + 1; // the comma
    if (current.length > 0 && size + cost > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Envelope bytes around a chunk's items: generous, so a chunk's message stays under the payload limit. */
export const CHUNK_ENVELOPE_BYTES = 512;

/** The chunk messages of one item list, as JSON text (items are spliced in, not re-serialized). */
export function encodeChunks(origin: SampleOrigin, items: readonly unknown[], maxPayload: number): string[] {
  const serialized = items.map((item) => JSON.stringify(item));
  const head = (chunk: number) => JSON.stringify({ ...origin, chunk }).slice(0, -1);
  return chunkByBytes(serialized, maxPayload - CHUNK_ENVELOPE_BYTES).map((parts, chunk) => `${head(chunk)},"items":[${parts.join(",")}]}`);
}

/** Splits a snapshot pair into chunk messages per kind and the commit that closes the sample. */
export function encodeSample(
  origin: SampleOrigin,
  streams: StreamsSnapshot,
  consumers: ConsumersSnapshot,
  maxPayload: number,
): { streams: string[]; consumers: string[]; commit: SampleCommit } {
  const { streams: streamItems, ...streamsMeta } = streams;
  const { consumers: consumerItems, ...consumersMeta } = consumers;
  const s = encodeChunks(origin, streamItems, maxPayload);
  const c = encodeChunks(origin, consumerItems, maxPayload);
  return {
    streams: s,
    consumers: c,
    commit: { ...origin, chunks: { streams: s.length, consumers: c.length }, streams: streamsMeta, consumers: consumersMeta },
  };
}

// ─── validation on receipt ─────────────────────────────────────────────────────────────────────────────────
// Loose objects: the fields busdeck's views and reducers rely on are checked; the rest passes through, so a
// newer leader adding a field does not make older replicas drop its samples.

const OriginShape = {
  v: z.literal(SAMPLE_WIRE_VERSION),
  leader: z.string().min(1),
  lock_rev: z.number().int().nonnegative(),
  seq: z.number().int().nonnegative(),
};

const SnapshotMetaSchema = z.object({
  status: z.enum(["initializing", "ok", "degraded"]),
  sampled_at: z.string().nullable(),
  duration_ms: z.number().nullable(),
  errors: z.array(z.object({ stream: z.string().nullable(), message: z.string() })),
});

/** The streams meta also names busdeck's own streams, so followers leave them out of counts too (absent from an older leader). */
const StreamsMetaSchema = SnapshotMetaSchema.extend({ own_streams: z.array(z.string()).default([]) });

const SequenceSchema = z.looseObject({ consumer_seq: z.number(), stream_seq: z.number(), last_active: z.string().nullable() });

export const StreamItemSchema = z.looseObject({
  name: z.string().min(1),
  sampled_at: z.string(),
  config: z.looseObject({
    subjects: z.array(z.string()),
    max_age_ms: z.number(),
    max_bytes: z.number(),
    max_msgs: z.number(),
    max_msgs_per_subject: z.number().optional(),
  }),
  state: z.looseObject({
    messages: z.number(),
    bytes: z.number(),
    first_seq: z.number(),
    last_seq: z.number(),
    last_ts: z.string().nullable(),
  }),
  rates: z.object({ msgs_per_s: z.number(), bytes_per_s: z.number() }).nullable(),
});

export const ConsumerItemSchema = z.looseObject({
  stream: z.string().min(1),
  name: z.string().min(1),
  sampled_at: z.string(),
  config: z.looseObject({ filter_subjects: z.array(z.string()), max_ack_pending: z.number() }),
  num_pending: z.number(),
  num_ack_pending: z.number(),
  num_redelivered: z.number(),
  delivered: SequenceSchema,
  ack_floor: SequenceSchema,
  insight: z
    .looseObject({
      lag_msgs: z.number(),
      lag_seconds: z.number().nullable(),
      consume_per_s: z.number().nullable(),
      ingest_per_s: z.number().nullable(),
      health: z.looseObject({ status: z.enum(HEALTH_STATUSES) }),
      loss: LossForecastSchema.optional(),
    })
    .nullable(),
});

const chunkSchema = <T extends z.ZodType>(item: T) =>
  z.object({ ...OriginShape, chunk: z.number().int().nonnegative(), items: z.array(item) });
export const StreamChunkSchema = chunkSchema(StreamItemSchema);
export const ConsumerChunkSchema = chunkSchema(ConsumerItemSchema);
export const SampleCommitSchema = z.object({
  ...OriginShape,
  chunks: z.object({ streams: z.number().int().nonnegative(), consumers: z.number().int().nonnegative() }),
  streams: StreamsMetaSchema,
  consumers: SnapshotMetaSchema,
});

// ─── reassembly ────────────────────────────────────────────────────────────────────────────────────────────

export type AssembleResult = { ok: true; sample: AssembledSample } | { ok: false; reason: string };

const sameOrigin = (a: SampleOrigin, b: SampleOrigin) => a.leader === b.leader && a.seq === b.seq && a.lock_rev === b.lock_rev;

/**
 * Why `next` does not come after `last` in leader order, or null when it does. An older lock revision is a deposed
 * leader that has not noticed yet; within a revision a leader's counter grows. A higher revision is newer even when
 * a replica restarted under the same holder id (hostname:pid repeats in containers) counts from 1 again.
 */
function outOfLeaderOrder(last: SampleOrigin | null, next: SampleOrigin, what: "sample" | "tap"): string | null {
  if (!last) return null;
  if (next.lock_rev < last.lock_rev) return `stale ${what} of ${next.leader} (lock revision ${next.lock_rev} < ${last.lock_rev})`;
  if (next.lock_rev === last.lock_rev && next.leader === last.leader && next.seq <= last.seq)
    return `repeated ${what} ${next.seq} of ${next.leader}`;
  return null;
}

/**
 * Collects one sample's chunks until its commit. Applies samples in leader order: a sample from a lock
 * revision older than one already applied (a deposed leader that has not noticed yet) or a repeated sequence
 * of the same leader is refused, so no history point is ever recorded twice.
 */
export class SampleAssembler {
  private pending: { origin: SampleOrigin; streams: StreamSummary[][]; consumers: ConsumerSummary[][] } | null = null;
  private last: SampleOrigin | null = null;

  addChunk(kind: ChunkKind, chunk: SampleChunk<StreamSummary> | SampleChunk<ConsumerSummary>): void {
    if (!this.pending || !sameOrigin(this.pending.origin, chunk)) this.pending = { origin: chunk, streams: [], consumers: [] };
    (this.pending[kind] as unknown[][])[chunk.chunk] = chunk.items;
  }

  commit(c: SampleCommit): AssembleResult {
    const pending = this.pending && sameOrigin(this.pending.origin, c) ? this.pending : null;
    this.pending = null;
    const refused = outOfLeaderOrder(this.last, c, "sample");
    if (refused) return { ok: false, reason: refused };
    // (a sparse array's every() skips holes: count the chunks actually received)
    const complete = (parts: unknown[][] | undefined, n: number) =>
      n === 0 || (parts !== undefined && parts.length === n && parts.filter(Boolean).length === n);
    if (!complete(pending?.streams, c.chunks.streams) || !complete(pending?.consumers, c.chunks.consumers)) {
      return { ok: false, reason: `incomplete sample ${c.seq} of ${c.leader}` };
    }
    this.last = c;
    const origin: SampleOrigin = { v: c.v, leader: c.leader, lock_rev: c.lock_rev, seq: c.seq };
    return {
      ok: true,
      sample: {
        origin,
        streams: { ...c.streams, streams: pending?.streams.flat() ?? [] },
        consumers: { ...c.consumers, consumers: pending?.consumers.flat() ?? [] },
      },
    };
  }

  /** The leader itself applies its samples locally; recording them keeps the ordering rule after it steps down. */
  recordLocal(origin: SampleOrigin): void {
    this.last = origin;
  }
}

// ─── the subject tap's relay ───────────────────────────────────────────────────────────────────────────────
// Only the elected sampler taps the bus; each `bus_subjects` snapshot its tap publishes travels whole in one
// message on `<prefix>.sample.tap`, ordered like samples (lock revision, then the leader's own counter).

export interface TapRelay extends SampleOrigin {
  snapshot: BusSubjectsSnapshot;
}

/**
 * One relay message as JSON text under `maxPayload`: a snapshot whose tracked subjects do not fit (long names)
 * keeps its busiest ones and counts the rest in `other`, as the tree does beyond its cap.
 */
export function encodeTapRelay(origin: SampleOrigin, snapshot: BusSubjectsSnapshot, maxPayload: number): string {
  let snap = snapshot;
  for (;;) {
    const body = JSON.stringify({ ...origin, snapshot: snap });
    if (utf8Length(body) <= maxPayload - CHUNK_ENVELOPE_BYTES || snap.subjects.length === 0) return body;
    const byRate = [...snap.subjects].sort((a, b) => b.msgs_per_s - a.msgs_per_s);
    const kept = byRate.slice(0, Math.floor(byRate.length / 2));
    const dropped = byRate.slice(kept.length);
    const other = {
      msgs_per_s: (snap.other?.msgs_per_s ?? 0) + dropped.reduce((n, s) => n + s.msgs_per_s, 0),
      bytes_per_s: (snap.other?.bytes_per_s ?? 0) + dropped.reduce((n, s) => n + s.bytes_per_s, 0),
    };
    snap = { ...snap, subjects: kept, other };
  }
}

const RateSchema = z.object({ msgs_per_s: z.number(), bytes_per_s: z.number() });

export const TapRelaySchema = z.object({
  ...OriginShape,
  snapshot: z.looseObject({
    tap: z.looseObject({
      mode: z.enum(TAP_MODES),
      reason: z.string().nullable(),
      configured: z.array(z.string()),
      active: z.array(z.string()),
      max_rate: z.number(),
      seen: z
        .looseObject({
          msgs_per_s: z.number(),
          at: z.number(),
          filters: z.array(z.looseObject({ filter: z.string(), msgs_per_s: z.number() })),
        })
        .nullable(),
      retry_at: z.number().nullable(),
      received_per_s: z.number(),
    }),
    tapped_by: z.string().nullable().default(null),
    sampled_at: z.number().nullable(),
    window_ms: z.number(),
    span_ms: z.number(),
    cap: z.number(),
    subjects: z.array(z.looseObject({ subject: z.string(), msgs_per_s: z.number(), bytes_per_s: z.number() })),
    other: RateSchema.nullable(),
    internal: RateSchema,
  }),
});

/**
 * Applies relayed tap snapshots in leader order (lock revision, then the leader's counter): one from an older
 * lock revision (a deposed leader that has not noticed yet) or a repeated counter within a revision is refused.
 * The snapshot shown names the replica that tapped it.
 */
export class TapRelayOrder {
  private last: SampleOrigin | null = null;

  accept(relay: TapRelay): { ok: true; snapshot: BusSubjectsSnapshot } | { ok: false; reason: string } {
    const refused = outOfLeaderOrder(this.last, relay, "tap");
    if (refused) return { ok: false, reason: refused };
    this.last = { v: relay.v, leader: relay.leader, lock_rev: relay.lock_rev, seq: relay.seq };
    return { ok: true, snapshot: { ...relay.snapshot, tapped_by: relay.leader } };
  }
}
