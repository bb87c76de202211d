/**
 * busdeck's own JetStream stream of timeline entries, so the Failover timeline survives dashboard restarts and
 * reaches further back than the lock bucket's history. The one thing busdeck writes to the bus; bounded by age
 * and bytes, deduplicated by entry id (Nats-Msg-Id) so two dashboards or a restart never double-record.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstream, type JetStreamManager } from "@nats-io/jetstream";
import { entryId, type TimelineEntry } from "../../lib/failover/timeline";
import { ensureOwnStream } from "../own-streams";
import type { ReplicaSetting } from "../replicas";

export const TRANSITIONS_STREAM = "BUSDECK_LOCK_TRANSITIONS";
export const TRANSITIONS_SUBJECT_PREFIX = "busdeck.failover";

export interface TransitionLogOptions {
  stream?: string;
  maxAgeMs?: number;
  maxBytes?: number;
  /** 3 on a 3-node cluster, so the timeline survives losing the node that holds it. */
  replicas?: ReplicaSetting;
}

export interface TransitionLog {
  stream: string;
  append(entry: TimelineEntry): Promise<void>;
  /** Every entry still kept, oldest first. */
  readAll(): Promise<TimelineEntry[]>;
}

const subjectOf = (e: TimelineEntry) => `${TRANSITIONS_SUBJECT_PREFIX}.${e.source === "lock" ? "lock" : "jetstream"}`;

export async function openTransitionLog(
  nc: NatsConnection,
  jsm: JetStreamManager,
  opts: TransitionLogOptions = {},
): Promise<TransitionLog> {
  const stream = opts.stream ?? TRANSITIONS_STREAM;
  await ensureOwnStream(jsm, {
    name: stream,
    subjects: [`${TRANSITIONS_SUBJECT_PREFIX}.>`],
    maxAgeMs: opts.maxAgeMs ?? 7 * 24 * 3600_000,
    maxBytes: opts.maxBytes ?? 64 * 1024 * 1024,
    duplicateWindowMs: 2 * 60_000,
    replicas: opts.replicas ?? "auto",
    description: "busdeck: lock transitions and JetStream leader changes for the Failover timeline",
  });
  const js = jetstream(nc);
  const enc = new TextEncoder();
  const dec = new TextDecoder();

  return {
    stream,
    async append(entry) {
      await js.publish(subjectOf(entry), enc.encode(JSON.stringify(entry)), { msgID: entryId(entry) });
    },
    async readAll() {
      const info = await jsm.streams.info(stream);
      if (info.state.messages === 0) return [];
      const last = info.state.last_seq;
      const consumer = await js.consumers.get(stream); // ordered, ephemeral: reads without leaving state behind
      const out: TimelineEntry[] = [];
      const iter = await consumer.consume({ max_messages: 1_000 });
      for await (const m of iter) {
        try {
          out.push(JSON.parse(dec.decode(m.data)) as TimelineEntry);
        } catch {
          // an unreadable entry is skipped; it cannot be shown on a timeline anyway
        }
        if (m.seq >= last || m.info.pending === 0) break;
      }
      await iter.close();
      return out;
    },
  };
}
