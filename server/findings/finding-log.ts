/**
 * busdeck's own stream of findings opened and resolved (BUSDECK_FINDINGS): history survives restarts, and every
 * replica applies the elected sampler's events, so all serve the same findings. Deduplicated by event id.
 */
import "server-only";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstream, type JetStreamManager } from "@nats-io/jetstream";
import { FindingEventSchema, findingEventId, type FindingEvent } from "../../lib/findings/events";
import { ensureOwnStream } from "../own-streams";
import type { ReplicaSetting } from "../replicas";

export const FINDINGS_STREAM = "BUSDECK_FINDINGS";
const SUBJECT_PREFIX = "busdeck.findings";
/** A restart reads at most this many events back: plenty for the open findings and the recently resolved. */
const MAX_REPLAY = 20_000;

export interface FindingLog {
  /** Stores the event; false when the log already had it (another leader around a takeover wrote it first). */
  append(event: FindingEvent): Promise<boolean>;
  /** The newest events still kept (up to MAX_REPLAY), oldest first; unreadable ones skipped. */
  readRecent(): Promise<FindingEvent[]>;
}

const parseEvent = (data: Uint8Array): FindingEvent | null => {
  try {
    const parsed = FindingEventSchema.safeParse(JSON.parse(new TextDecoder().decode(data)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
};

export async function openFindingLog(
  nc: NatsConnection,
  jsm: JetStreamManager,
  opts: { replicas?: ReplicaSetting } = {},
): Promise<FindingLog> {
  await ensureOwnStream(jsm, {
    name: FINDINGS_STREAM,
    subjects: [`${SUBJECT_PREFIX}.>`],
    maxAgeMs: 30 * 24 * 3600_000,
    maxBytes: 64 * 1024 * 1024,
    duplicateWindowMs: 2 * 60_000,
    replicas: opts.replicas ?? "auto",
    description: "busdeck: findings opened and resolved",
  });
  const js = jetstream(nc);
  return {
    async append(event) {
      const ack = await js.publish(`${SUBJECT_PREFIX}.${event.type}`, JSON.stringify(event), { msgID: findingEventId(event) });
      return !ack.duplicate;
    },
    async readRecent() {
      const { state } = await jsm.streams.info(FINDINGS_STREAM);
      if (state.messages === 0) return [];
      const start = Math.max(state.first_seq, state.last_seq - MAX_REPLAY + 1);
      const consumer = await js.consumers.get(FINDINGS_STREAM, { opt_start_seq: start }); // ordered: leaves nothing behind
      const out: FindingEvent[] = [];
      const iter = await consumer.consume({ max_messages: 1_000 });
      for await (const m of iter) {
        const event = parseEvent(m.data);
        if (event) out.push(event);
        if (m.seq >= state.last_seq || m.info.pending === 0) break;
      }
      await iter.close();
      return out;
    },
  };
}

/** Events as any replica writes them (a core subscription: it needs no stream); returns the unsubscribe. */
export function watchFindingEvents(nc: NatsConnection, onEvent: (event: FindingEvent) => void): () => void {
  const sub = nc.subscribe(`${SUBJECT_PREFIX}.>`, {
    callback: (err, msg) => {
      const event = err ? null : parseEvent(msg.data);
      if (event) onEvent(event);
    },
  });
  return () => sub.unsubscribe();
}
