/**
 * Watches the singleton lock buckets (KV) and publishes the current holder per key plus every raw change.
 * A bucket that does not exist yet is retried, so the view lights up when the runtime creates it.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { Kvm, KvWatchInclude, type KvEntry } from "@nats-io/kv";
import { emptyLocksSnapshot, lockEventFrom, parseLockValue, type LockEvent, type LockState } from "../../lib/failover/locks";
import type { FailoverService } from "../failover/failover-service";
import type { Hub } from "../hub/hub";
import { describeError } from "../../lib/errors";

export interface LockWatcherOptions {
  nc: NatsConnection;
  hub: Hub;
  buckets: string[];
  retryMs?: number;
  /** How often the watch is checked against the bucket's last sequence, and how long it may trail it. */
  stallCheckMs?: number;
  stallAfterMs?: number;
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

/**
 * The KV watch is an ordered push consumer living on one server. When that server dies, nats.js 3.4 does not
 * always recreate it and the watch goes silent while renews continue (reproduced on a 3-node cluster by killing
 * the consumer's node). So: if the bucket's last sequence stays ahead of what the watch delivered for longer
 * than `stallAfterMs`, stop the watch; the caller re-watches and the classifier skips revisions it already saw.
 */
export function restartWhenStalled(
  lastSeq: () => Promise<number>,
  seen: () => number,
  restart: () => void,
  checkMs: number,
  stallAfterMs: number,
): () => void {
  let behindSince: number | null = null;
  let done = false;
  const timer = setInterval(async () => {
    const last = await lastSeq().catch(() => null);
    if (done || last === null) return; // the bucket unreachable is the connection's problem, not a stall
    if (last <= seen()) behindSince = null;
    else if (behindSince === null) behindSince = Date.now();
    else if (Date.now() - behindSince >= stallAfterMs) {
      done = true;
      clearInterval(timer);
      restart();
    }
  }, checkMs);
  timer.unref?.();
  return () => {
    done = true;
    clearInterval(timer);
  };
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
        let seen = 0;
        const stopStallCheck = restartWhenStalled(
          async () => (await kv.status()).streamInfo.state.last_seq,
          () => seen,
          () => {
            errors.set(bucket, `bucket ${bucket}: watch stalled behind the bucket (a node left?); re-watching`);
            opts.failover?.setBucketError(bucket, errors.get(bucket)!);
            publish();
            iter.stop();
          },
          opts.stallCheckMs ?? 2_000,
          opts.stallAfterMs ?? 4_000,
        );
        stops.push(stopStallCheck);
        for await (const entry of iter) {
          seen = Math.max(seen, entry.revision);
          const { event, state } = lockEventFromEntry(entry);
          locks.set(`${bucket}/${entry.key}`, state);
          opts.hub.appendFeed("lock_events", [event]);
          opts.failover?.onLockEvent(event);
          publish();
        }
        stopStallCheck();
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
