/**
 * Where outcome rollups (lib/outcomes/rollup.ts) are kept: a small stream of busdeck's own. Every replica
 * that ingests outcomes writes the minutes it closes; Nats-Msg-Id dedup stores each (minute, handler) once,
 * and a replica that starts late writes only minutes after the last one already stored.
 */
import "server-only";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstream, type JetStreamManager } from "@nats-io/jetstream";
import { parseRollup, rollupMsgId, usableRollups, type OutcomeRollup, type ParsedRollup } from "../../lib/outcomes/rollup";
import { ensureOwnStream } from "../own-streams";
import type { ReplicaSetting } from "../replicas";
import { scanStream } from "./stream-scan";

export const ROLLUP_STREAM = "BUSDECK_OUTCOME_ROLLUPS";
export const ROLLUP_SUBJECT = "busdeck.rollup.outcomes";

export interface RollupStoreOptions {
  stream?: string;
  /** Where rollups are published (tests give each stream its own). */
  subject?: string;
  maxAgeMs?: number;
  replicas?: ReplicaSetting;
}

export interface LoadedRollups {
  rollups: OutcomeRollup[];
  /** Replay raw outcomes after this stream sequence (0: none rolled up). */
  resumeSeq: number;
  lastMinute: number | null;
  /** Stored records that failed validation (skipped; their minutes are recomputed). */
  invalid: number;
}

/**
 * Parsed rollups kept by stream sequence, so a repeated range summary skips JSON and schema work: a day of ten
 * handlers' minutes (14,400) and some. The first parsed goes first.
 */
const PARSED_CACHE_ENTRIES = 16_000;

/** Parses stored rollups once: a sequence is reused only with the same store time (a recreated stream starts over). */
function parsedRollupCache() {
  const bySeq = new Map<number, { storedAt: number; parsed: ParsedRollup }>();
  return (m: { seq: number; info: { timestampNanos: number }; data: Uint8Array }): ParsedRollup => {
    const storedAt = m.info.timestampNanos;
    const hit = bySeq.get(m.seq);
    if (hit && hit.storedAt === storedAt) return hit.parsed;
    const parsed = parseRollup(m.data);
    bySeq.delete(m.seq);
    bySeq.set(m.seq, { storedAt, parsed });
    if (bySeq.size > PARSED_CACHE_ENTRIES) bySeq.delete(bySeq.keys().next().value!);
    return parsed;
  };
}

/** A minute's rollup is written when the minute closes; a writer that paused may store it this much later. */
const LATE_WRITE_MS = 10 * 60_000;

export interface RollupStore {
  stream: string;
  load(fromMs: number): Promise<LoadedRollups>;
  /** Every valid stored rollup of the minutes starting in [fromMs, toMs), as stored (not checked for completeness). */
  read(fromMs: number, toMs: number): Promise<{ rollups: OutcomeRollup[]; invalid: number }>;
  write(rollups: readonly OutcomeRollup[]): Promise<void>;
}

export async function openRollupStore(nc: NatsConnection, jsm: JetStreamManager, opts: RollupStoreOptions = {}): Promise<RollupStore> {
  const stream = opts.stream ?? ROLLUP_STREAM;
  const subject = opts.subject ?? ROLLUP_SUBJECT;
  await ensureOwnStream(jsm, {
    name: stream,
    subjects: [subject],
    maxAgeMs: opts.maxAgeMs ?? 7 * 24 * 3600_000,
    maxBytes: 256 * 1024 * 1024,
    // Long enough that replicas closing the same minute seconds apart (or one catching up after a pause) dedupe.
    duplicateWindowMs: 10 * 60_000,
    replicas: opts.replicas ?? "auto",
    description: "busdeck: per-minute reflex outcome aggregates, so the outcome summary loads without replaying every outcome",
  });
  const js = jetstream(nc);
  const enc = new TextEncoder();
  const parse = parsedRollupCache();
  const read = async (fromMs: number, toMs: number) => {
    const rollups: OutcomeRollup[] = [];
    let invalid = 0;
    await scanStream(js, jsm, {
      stream,
      start: { time: new Date(fromMs).toISOString() },
      onMsg: (m) => {
        // Stored in closing order: past the range's last minute plus a late writer's grace, nothing of it follows.
        if (m.info.timestampNanos / 1e6 > toMs + LATE_WRITE_MS) return false;
        const parsed = parse(m);
        if (!parsed.ok) invalid++;
        else if (parsed.rollup.minute >= fromMs && parsed.rollup.minute < toMs) rollups.push(parsed.rollup);
      },
    });
    return { rollups, invalid };
  };
  return {
    stream,
    read,
    async load(fromMs) {
      const { rollups, invalid } = await read(fromMs, Infinity);
      return { ...usableRollups(rollups), invalid };
    },
    async write(rollups) {
      await Promise.all(rollups.map((r) => js.publish(subject, enc.encode(JSON.stringify(r)), { msgID: rollupMsgId(r) })));
    },
  };
}
