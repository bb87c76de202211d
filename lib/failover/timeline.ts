/**
 * What the Failover view's timeline is made of, as the server publishes and persists it: lock transitions and
 * JetStream leader changes as one entry type, and the per-singleton snapshot.
 */
import type { LockTransition, SingletonState } from "./lock-transitions";

/** A JetStream RAFT leadership change or quorum loss, from the advisory subjects. */
export interface LeaderEvent {
  kind: "stream_leader" | "consumer_leader" | "stream_quorum_lost" | "consumer_quorum_lost";
  stream: string | null;
  consumer: string | null;
  leader: string | null;
  at: string;
}

/** One persisted timeline entry (busdeck's own JetStream stream holds these). */
export type TimelineEntry = { source: "lock"; transition: LockTransition } | { source: "jetstream"; leader: LeaderEvent };

export interface SingletonsSnapshot {
  status: "initializing" | "ok" | "degraded";
  /** When the server built this snapshot (its clock): how old the browser's view of every lease is. */
  sampled_at?: string;
  singletons: SingletonState[];
  /** Bucket max age per bucket (ms, null = none), so expiry is explainable. */
  max_age_ms: Record<string, number | null>;
  /** Where transitions are kept and how far back they reach. */
  history: { stream: string | null; oldest: string | null; entries: number; persisted: boolean };
  errors: { bucket: string | null; message: string }[];
}

export const emptySingletonsSnapshot = (): SingletonsSnapshot => ({
  status: "initializing",
  singletons: [],
  max_age_ms: {},
  history: { stream: null, oldest: null, entries: 0, persisted: false },
  errors: [],
});

export const entryAt = (e: TimelineEntry) => (e.source === "lock" ? e.transition.at : e.leader.at);

/** Stable identity of an entry, so a restart re-reading the bucket history does not record it twice. */
export function entryId(e: TimelineEntry): string {
  if (e.source === "lock") {
    const t = e.transition;
    return `lock/${t.bucket}/${t.key}/${t.revision}/${t.kind}`;
  }
  const l = e.leader;
  return `js/${l.kind}/${l.stream ?? ""}/${l.consumer ?? ""}/${l.leader ?? ""}/${l.at}`;
}
