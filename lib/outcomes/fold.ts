/**
 * The summary side of outcome ingest — parse, validate, mask, aggregate, roll up — as one unit that owns its
 * state and takes messages in batches of plain bytes and numbers, so it can run on a thread of its own
 * (server/outcomes/fold-worker.ts) while the connection's thread only reads the socket and keeps the feed.
 * Pure: time comes with the messages and the calls.
 */
import { lastIsoOf } from "../format";
import { RollupBuilder, type OutcomeRollup } from "./rollup";
import { OutcomeAggregator } from "./stats";
import { parseOutcome, type HistoryStatus, type OutcomeRecord, type OutcomeStats } from "./outcome";

/** Messages to fold, as transferable arrays: one copy of the payload bytes, no object per message. */
export interface FoldBatch {
  /** The payloads, back to back. */
  data: Uint8Array;
  /** Where each message's payload ends in `data`. */
  ends: Uint32Array;
  /** Each message's record id: its stream sequence (> 0), or minus its live counter (a live record). */
  ids: Float64Array;
  /** When each message arrived (its received_at), ms since the epoch. */
  arrivedAt: Float64Array;
  /** Each message's subject, as an index into `subjects`. */
  subjectOf: Uint16Array;
  /** 1: a stored record the summary counted when it arrived live: only its minute's rollup still takes it. */
  rollupOnly: Uint8Array;
  subjects: string[];
}

/** A record id as FoldBatch carries it, as a string: what parseOutcome and the feed give the record. */
export const recordId = (id: number): string => (id > 0 ? String(id) : `live-${-id}`);

/** A batch's room: about a thousand typical outcomes, small enough to stay in cache between the two threads. */
export const BATCH_BYTES = 512 * 1024;
export const BATCH_MESSAGES = 1024;

/**
 * Builds FoldBatches one message at a time into arrays of a fixed size (hasRoomFor says when to take the
 * batch). A batch hands over the builder's arrays, which come back through recycle() once folded: a fresh
 * buffer per batch cost more than the copy into it (page faults and zeroing of new memory).
 */
export class FoldBatchBuilder {
  private data = new Uint8Array(BATCH_BYTES);
  private used = 0;
  private ends = new Uint32Array(BATCH_MESSAGES);
  private ids = new Float64Array(BATCH_MESSAGES);
  private arrivedAt = new Float64Array(BATCH_MESSAGES);
  private subjectOf = new Uint16Array(BATCH_MESSAGES);
  private rollupOnly = new Uint8Array(BATCH_MESSAGES);
  private subjects: string[] = [];
  private subjectIndex = new Map<string, number>();
  private readonly spare: FoldBatch[] = [];
  count = 0;

  /** Whether a payload of `bytes` fits the batch; when not, take() it first. An empty batch takes any payload. */
  hasRoomFor(bytes: number): boolean {
    return this.count === 0 || (this.count < BATCH_MESSAGES && this.used + bytes <= this.data.byteLength);
  }

  /**
   * Adds the message whose payload is `bytes` from `start` on (a core message's bytes start with its headers);
   * `rollupOnly`: a stored record the summary has counted already, live (FoldBatch.rollupOnly).
   */
  add(subject: string, bytes: Uint8Array, start: number, id: number, arrivedAt: number, rollupOnly = false): void {
    const payload = start > 0 ? bytes.subarray(start) : bytes;
    if (!this.hasRoomFor(payload.byteLength)) throw new Error("fold batch is full: take() it first");
    // Only a payload larger than a whole batch gets here without room.
    if (payload.byteLength > this.data.byteLength) this.data = new Uint8Array(payload.byteLength);
    this.data.set(payload, this.used);
    this.used += payload.byteLength;
    let s = this.subjectIndex.get(subject);
    if (s === undefined) {
      s = this.subjects.push(subject) - 1;
      this.subjectIndex.set(subject, s);
    }
    const i = this.count++;
    this.ends[i] = this.used;
    this.ids[i] = id;
    this.arrivedAt[i] = arrivedAt;
    this.subjectOf[i] = s;
    this.rollupOnly[i] = rollupOnly ? 1 : 0;
  }

  /** The messages added since the last take, in the builder's arrays (transferable); null when none. */
  take(): FoldBatch | null {
    if (this.count === 0) return null;
    const n = this.count;
    const batch: FoldBatch = {
      data: this.data.subarray(0, this.used),
      ends: this.ends.subarray(0, n),
      ids: this.ids.subarray(0, n),
      arrivedAt: this.arrivedAt.subarray(0, n),
      subjectOf: this.subjectOf.subarray(0, n),
      rollupOnly: this.rollupOnly.subarray(0, n),
      subjects: this.subjects,
    };
    const next = this.spare.pop();
    this.data = next ? new Uint8Array(next.data.buffer as ArrayBuffer) : new Uint8Array(BATCH_BYTES);
    this.ends = next ? new Uint32Array(next.ends.buffer as ArrayBuffer) : new Uint32Array(BATCH_MESSAGES);
    this.ids = next ? new Float64Array(next.ids.buffer as ArrayBuffer) : new Float64Array(BATCH_MESSAGES);
    this.arrivedAt = next ? new Float64Array(next.arrivedAt.buffer as ArrayBuffer) : new Float64Array(BATCH_MESSAGES);
    this.subjectOf = next ? new Uint16Array(next.subjectOf.buffer as ArrayBuffer) : new Uint16Array(BATCH_MESSAGES);
    this.rollupOnly = next ? new Uint8Array(next.rollupOnly.buffer as ArrayBuffer) : new Uint8Array(BATCH_MESSAGES);
    this.used = 0;
    this.count = 0;
    this.subjects = [];
    this.subjectIndex.clear();
    return batch;
  }

  /** A batch that has been folded: its arrays are reused (an oversized payload's are not, nor more than 16). */
  recycle(batch: FoldBatch): void {
    if (batch.data.buffer.byteLength === BATCH_BYTES && this.spare.length < 16) this.spare.push(batch);
  }
}

/** The transferable buffers of a batch: posted to another thread without a copy. */
export const batchBuffers = (b: FoldBatch): ArrayBuffer[] =>
  [b.data, b.ends, b.ids, b.arrivedAt, b.subjectOf, b.rollupOnly].map((a) => a.buffer as ArrayBuffer);

export interface OutcomeFoldOptions {
  prefix: string;
  /** Masks a parsed record as far as the summary reads it (lib/security/redaction.ts summaryRedactor). */
  redact: (r: OutcomeRecord) => OutcomeRecord;
}

export class OutcomeFold {
  private readonly agg = new OutcomeAggregator();
  private readonly rollups = new RollupBuilder();
  private readonly iso = lastIsoOf();

  constructor(private readonly opts: OutcomeFoldOptions) {}

  /**
   * Folds a batch into the summary and, when `rollups`, into the per-minute rollups of stored records (live
   * ones have no sequence to resume from); returns the minutes that closed.
   */
  fold(b: FoldBatch, rollups: boolean): OutcomeRollup[] {
    let closed: OutcomeRollup[] = [];
    let start = 0;
    for (let i = 0; i < b.ends.length; i++) {
      const end = b.ends[i]!;
      const id = b.ids[i]!;
      const at = b.arrivedAt[i]!;
      const r = this.opts.redact(
        parseOutcome({
          id: recordId(id),
          subject: b.subjects[b.subjectOf[i]!]!,
          data: b.data.subarray(start, end),
          received_at: this.iso(at),
          stream_seq: id > 0 ? id : undefined,
          prefix: this.opts.prefix,
        }),
      );
      start = end;
      if (b.rollupOnly[i] !== 1) this.agg.add(r);
      if (rollups && id > 0) {
        const c = this.rollups.add(r, at, id);
        if (c.length > 0) closed = closed.concat(c);
      }
    }
    return closed;
  }

  /** Stored per-minute rollups, folded instead of the records they sum up (a history load). */
  addRollups(rollups: readonly OutcomeRollup[]): void {
    for (const r of rollups) this.agg.addRollup(r);
  }

  /** lib/outcomes/rollup.ts RollupBuilder.closeIfIdle. */
  closeIfIdle(now: number, streamLastSeq: number): OutcomeRollup[] {
    return this.rollups.closeIfIdle(now, streamLastSeq);
  }

  snapshot(now: number, meta: { stream_available: boolean | null; history: HistoryStatus }): OutcomeStats {
    return this.agg.snapshot(now, meta);
  }
}
