/**
 * busdeck's sampler election: the singleton lock pattern (docs/contracts.md#singleton-locks) on a NATS KV key.
 * Acquire = create, renew = update with the last revision, takeover of an abandoned lock = update with the observed
 * revision, release = delete with the last revision. A write conflict always means another replica won; the lease
 * math is in lib/failover/lease.ts.
 *
 * The loop takes its KV, clock and sleep as arguments so it can be driven by a fake clock; the value it writes
 * follows the documented lock contract, so busdeck's own lock appears in its Failover view.
 */
import "server-only";
import type { KvEntry } from "@nats-io/kv";
import { parseLockValue } from "../../lib/failover/locks";
import { isLeaseExpired, leaseLockValue, mustStepDown, nextPollDelay, type LeaseTimings } from "../../lib/failover/lease";
import { describeError, isRevisionConflict } from "../../lib/errors";

/** The KV operations the election needs (a subset of nats.js's KV, so tests can pass an in-memory one). */
export interface LockKv {
  get(key: string): Promise<Pick<KvEntry, "operation" | "revision" | "created" | "value"> | null>;
  create(key: string, value: Uint8Array): Promise<number>;
  update(key: string, value: Uint8Array, revision: number): Promise<number>;
  delete(key: string, opts: { previousSeq: number }): Promise<void>;
}

export type Role = "leader" | "follower";

export interface ElectionState {
  role: Role;
  /** The holder this replica last saw (itself when leading); null when the lock is free or unknown. */
  holder: string | null;
  /** The lock revision of this replica's last write while leading. */
  revision: number;
}

export interface ElectionOptions {
  kv: LockKv;
  key: string;
  holderId: string;
  timings: LeaseTimings;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onElected: (revision: number) => void;
  /** Renewal refused (another replica holds the lock) or impossible for too long; also on stop. */
  onDeposed: (reason: string) => void;
  onRenewed?: (revision: number) => void;
  log?: (msg: string) => void;
}

export interface Election {
  state(): ElectionState;
  /** Stops the loop; a leader releases the lock so a peer takes over at its next poll, not after a lease. */
  stop(): Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

export function startElection(opts: ElectionOptions): Election {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? defaultSleep;
  const t = opts.timings;
  const state: ElectionState = { role: "follower", holder: null, revision: 0 };
  let acquiredAt = new Date(now());
  let lastRenewOk = 0;
  let stopped = false;
  let wake: () => void = () => {};
  const stopping = new Promise<void>((r) => (wake = r));
  const value = () => new TextEncoder().encode(JSON.stringify(leaseLockValue(opts.holderId, acquiredAt, t)));

  const win = (revision: number, how: string) => {
    Object.assign(state, { role: "leader", holder: opts.holderId, revision });
    lastRenewOk = now();
    opts.log?.(`fleet: ${opts.holderId} ${how} the sampler lock (rev ${revision})`);
    opts.onElected(revision);
  };
  const lose = (reason: string) => {
    Object.assign(state, { role: "follower", holder: null });
    opts.log?.(`fleet: ${opts.holderId} stepped down: ${reason}`);
    opts.onDeposed(reason);
  };

  /** Passive step: create when free, take over when abandoned (or still ours from before a blip). Returns the delay. */
  const contend = async (): Promise<number> => {
    const e = await opts.kv.get(opts.key);
    if (stopped) return 0;
    if (!e || e.operation !== "PUT") {
      state.holder = null;
      acquiredAt = new Date(now());
      return attempt(() => opts.kv.create(opts.key, value()), "acquired");
    }
    const parsed = parseLockValue(e.value);
    state.holder = parsed.valid ? parsed.value.holder_id : null;
    const created = e.created.getTime();
    if (state.holder === opts.holderId || isLeaseExpired(created, t.leaseMs, now())) {
      acquiredAt = new Date(now());
      return attempt(() => opts.kv.update(opts.key, value(), e.revision), state.holder === opts.holderId ? "resumed" : "took over");
    }
    return nextPollDelay(created, t, now());
  };

  const attempt = async (write: () => Promise<number>, how: string): Promise<number> => {
    try {
      win(await write(), how);
      return t.renewMs;
    } catch (err) {
      if (!isRevisionConflict(err)) throw err;
      return t.pollMs; // someone else won the race
    }
  };

  /** Active step: renew with the last revision; a conflict means the lock was taken over. */
  const renew = async (): Promise<number> => {
    try {
      state.revision = await opts.kv.update(opts.key, value(), state.revision);
      lastRenewOk = now();
      opts.onRenewed?.(state.revision);
    } catch (err) {
      if (isRevisionConflict(err)) lose("the lock was taken over (revision mismatch)");
      else if (mustStepDown(lastRenewOk, t, now())) lose(`cannot renew: ${describeError(err)}`);
      else opts.log?.(`fleet: renew failed, retrying: ${describeError(err)}`);
    }
    return state.role === "leader" ? t.renewMs : t.pollMs;
  };

  const loop = (async () => {
    while (!stopped) {
      let delay: number;
      try {
        delay = state.role === "leader" ? await renew() : await contend();
      } catch (err) {
        opts.log?.(`fleet: lock poll failed: ${describeError(err)}`);
        delay = t.pollMs;
      }
      if (!stopped) await Promise.race([sleep(delay), stopping]);
    }
  })();

  return {
    state: () => ({ ...state }),
    async stop() {
      stopped = true;
      wake();
      await loop;
      if (state.role !== "leader") return;
      const revision = state.revision;
      lose("stopping");
      // A revision conflict here means a peer already took the lock over (our lease ran out while stopping):
      // nothing to release, and nothing wrong.
      await opts.kv
        .delete(opts.key, { previousSeq: revision })
        .catch((err) =>
          opts.log?.(
            isRevisionConflict(err)
              ? "fleet: lock already taken over by a peer; nothing to release"
              : `fleet: release failed: ${describeError(err)}`,
          ),
        );
    },
  };
}
