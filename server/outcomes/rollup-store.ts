/**
 * Where outcome rollups (lib/outcomes/rollup.ts) are kept: a small stream of busdeck's own. Every replica
 * that ingests outcomes writes the minutes it closes; Nats-Msg-Id dedup stores each (minute, handler) once,
 * and a replica that starts late writes only minutes after the last one already stored.
 */
import "server-only";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstream, type JetStreamManager } from "@nats-io/jetstream";
import { parseRollup, rollupMsgId, usableRollups, type OutcomeRollup } from "../../lib/outcomes/rollup";
import { ensureOwnStream } from "../own-streams";
import type { ReplicaSetting } from "../replicas";
import { scanStream } from "./stream-scan";

export const ROLLUP_STREAM = "BUSDECK_OUTCOME_ROLLUPS";
export const ROLLUP_SUBJECT = "busdeck.rollup.outcomes";

export interface RollupStoreOptions {
  stream?: string;
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
  await ensureOwnStream(jsm, {
    name: stream,
    subjects: [ROLLUP_SUBJECT],
    maxAgeMs: opts.maxAgeMs ?? 7 * 24 * 3600_000,
    maxBytes: 256 * 1024 * 1024,
    // Long enough that replicas closing the same minute seconds apart (or one catching up after a pause) dedupe.
    duplicateWindowMs: 10 * 60_000,
    replicas: opts.replicas ?? "auto",
    description: "busdeck: per-minute reflex outcome aggregates, so the outcome summary loads without replaying every outcome",
  });
  const js = jetstream(nc);
  const enc = new TextEncoder();
  const read = async (fromMs: number, toMs: number) => {
    const rollups: OutcomeRollup[] = [];
    let invalid = 0;
    await scanStream(js, jsm, {
      stream,
      start: { time: new Date(fromMs).toISOString() },
      onMsg: (m) => {
        // Stored in closing order: past the range's last minute plus a late writer's grace, nothing of it follows.
        if (m.info.timestampNanos / 1e6 > toMs + LATE_WRITE_MS) return false;
        const parsed = parseRollup(m.data);
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
      await Promise.all(rollups.map((r) => js.publish(ROLLUP_SUBJECT, enc.encode(JSON.stringify(r)), { msgID: rollupMsgId(r) })));
    },
  };
}
