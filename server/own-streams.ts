/**
 * busdeck's own JetStream streams (failover timeline, outcome rollups): created on first use with limits
 * retention, file storage, bounded by age and bytes, deduplicated by Nats-Msg-Id. An existing stream is used
 * as it is, so an operator may have created it with other limits on purpose.
 */
import { nanos } from "@nats-io/nats-core";
import { DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager } from "@nats-io/jetstream";
import { withReplicas, type ReplicaSetting } from "./replicas";

export interface OwnStreamSpec {
  name: string;
  subjects: string[];
  description: string;
  maxAgeMs: number;
  maxBytes: number;
  duplicateWindowMs: number;
  replicas: ReplicaSetting;
  /** Refuse message deletes and purges (an append-only record such as the audit trail). */
  denyDelete?: boolean;
}

export async function ensureOwnStream(jsm: JetStreamManager, spec: OwnStreamSpec): Promise<void> {
  try {
    await jsm.streams.info(spec.name);
  } catch {
    await withReplicas(spec.replicas, (replicas) =>
      jsm.streams.add({
        name: spec.name,
        subjects: spec.subjects,
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        discard: DiscardPolicy.Old,
        max_age: nanos(spec.maxAgeMs),
        max_bytes: spec.maxBytes,
        duplicate_window: nanos(spec.duplicateWindowMs),
        num_replicas: replicas,
        description: spec.description,
        ...(spec.denyDelete ? { deny_delete: true, deny_purge: true } : {}),
      }),
    );
  }
}
