/**
 * Watches the singleton lock buckets (KV) and publishes the current holder per key plus every raw change.
 * A bucket that does not exist yet is retried, so the view lights up when the runtime creates it.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { Kvm, KvWatchInclude, type KvEntry } from "@nats-io/kv";
import { emptyLocksSnapshot, lockEventFrom, parseLockValue, type LockEvent, type LockState } from "../../lib/locks";
import type { FailoverService } from "../failover/failover-service";
import type { Hub } from "../hub";
import { describeError } from "../samplers/jetstream-sampler";

export interface LockWatcherOptions {
  nc: NatsConnection;
  hub: Hub;
  buckets: string[];
  retryMs?: number;
  /** Classifies every change into transitions; when set, the watch replays the bucket's whole history first. */
  failover?: FailoverService;
}

export function lockEventFromEntry(e: KvEntry): { event: LockEvent; state: LockState } {
  const at = e.created.toISOString();
  const op = e.operation === "PUT" ? "put" : e.operation === "DEL" ? "del" : "purge";
  const value = op === "put" ? parseLockValue(e.value) : null;
  const event = lockEventFrom({ bucket: e.bucket, key: e.key, op, revision: e.revision, at }, value);
  return { event, state: { bucket: e.bucket, key: e.key, holder: event.holder, value, revision: e.revision, updated_at: at } };
}

export function startLockWatcher(opts: LockWatcherOptions): () => void {
  const kvm = new Kvm(opts.nc);
  const locks = new Map<string, LockState>();
  const errors = new Map<string, string>();
  let stopped = false;
  const stops: (() => void)[] = [];

  const publish = () =>
    opts.hub.publishState("locks", {
      ...emptyLocksSnapshot(opts.buckets),
      status: errors.size ? "degraded" : "ok",
      locks: [...locks.values()].sort((a, b) => `${a.bucket}/${a.key}`.localeCompare(`${b.bucket}/${b.key}`)),
      errors: [...errors].map(([bucket, message]) => ({ bucket, message })),
    });

  const watchBucket = async (bucket: string): Promise<void> => {
    while (!stopped) {
      try {
        const kv = await kvm.open(bucket);
        const status = await kv.status(); // throws when the bucket does not exist
        const failover = opts.failover;
        if (failover) {
          await failover.ready; // resume from the recorded timeline before replaying the bucket's history
          failover.setBucketMaxAge(bucket, status.ttl || null);
          failover.setBucketError(bucket, null);
        }
        // With history, the classifier sees every retained revision in order (a restart re-derives transitions).
        const iter = await kv.watch({ key: ">", include: failover ? KvWatchInclude.AllHistory : undefined });
        stops.push(() => iter.stop());
        errors.delete(bucket);
        publish();
        for await (const entry of iter) {
          const { event, state } = lockEventFromEntry(entry);
          locks.set(`${bucket}/${entry.key}`, state);
          opts.hub.appendFeed("lock_events", [event]);
          opts.failover?.onLockEvent(event);
          publish();
        }
      } catch (err) {
        errors.set(bucket, `bucket ${bucket}: ${describeError(err)}`);
        opts.failover?.setBucketError(bucket, errors.get(bucket)!);
        publish();
      }
      if (!stopped) await new Promise((r) => setTimeout(r, opts.retryMs ?? 3_000));
    }
  };
  opts.hub.publishState("locks", emptyLocksSnapshot(opts.buckets));
  for (const b of opts.buckets) void watchBucket(b);
  return () => {
    stopped = true;
    stops.forEach((s) => s());
  };
}
