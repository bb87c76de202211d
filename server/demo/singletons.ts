/**
 * Active/passive singletons racing for a NATS KV lock (docs/contracts.md#singleton-locks). Acquire = create, renew
 * = update with the last revision, takeover of an abandoned lock = update with the observed revision, release =
 * delete with the last revision. The active replica periodically crashes, pauses or hands over, so the Locks view
 * shows failovers, handovers and lost renewals.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { Kvm, type KV } from "@nats-io/kv";
import type { LockValue } from "../../lib/failover/locks";
import type { Lifecycle } from "./lifecycle";
import { describeError, isRevisionConflict } from "../../lib/errors";
import type { Rng } from "./random";
import type { DemoTimings } from "./timings";

export const LOCK_BUCKET = "locks";
export const LOCK_HISTORY = 10;
export const SINGLETON_KINDS = ["dedup", "llm"] as const;
export const REPLICAS_PER_KIND = 2;

/** How an active replica's tenure ends: a crash (no release, peer waits out the ttl), a clean handover, or a
 * pause (GC/network blip) long enough for the peer to take over, after which the stale renew is rejected. */
export type TenureEnd = "crash" | "release" | "pause";
export const TENURE_ENDS: readonly (readonly [TenureEnd, number])[] = [
  ["crash", 0.6],
  ["release", 0.25],
  ["pause", 0.15],
];

export function lockValue(holderId: string, acquiredAt: Date, t: Pick<DemoTimings, "lockTtlMs" | "lockRenewMs">): LockValue {
  return {
    holder_id: holderId,
    acquired_at: acquiredAt.toISOString(),
    ttl_s: t.lockTtlMs / 1000,
    renew_interval_s: t.lockRenewMs / 1000,
  };
}

const encode = (v: LockValue) => new TextEncoder().encode(JSON.stringify(v));

/** A lock is abandoned once its last write (create, renew or takeover) is older than the ttl. */
export function isExpired(lastWrite: Date, ttlMs: number, now = Date.now()): boolean {
  return now - lastWrite.getTime() > ttlMs;
}

export async function openLocksBucket(nc: NatsConnection, replicas: number): Promise<KV> {
  return new Kvm(nc).create(LOCK_BUCKET, { history: LOCK_HISTORY, replicas });
}

interface ReplicaContext {
  kv: KV;
  lc: Lifecycle;
  rng: Rng;
  timings: DemoTimings;
}

class Replica {
  private revision = 0;
  private acquiredAt = new Date();

  constructor(
    private readonly ctx: ReplicaContext,
    private readonly kind: string,
    readonly holderId: string,
  ) {}

  private get value(): Uint8Array {
    return encode(lockValue(this.holderId, this.acquiredAt, this.ctx.timings));
  }

  run(): void {
    const { lc, rng, timings: t } = this.ctx;
    lc.spawn(`singleton ${this.holderId}`, async () => {
      // Staggered boot so replica 0 does not win every initial race.
      if (!(await lc.sleep(rng.range(0, t.lockPollMs)))) return;
      while (!lc.stopped) {
        if (!(await this.tryAcquire())) {
          if (!(await lc.sleep(t.lockPollMs * rng.range(0.8, 1.2)))) return;
          continue;
        }
        const end = await this.holdUntilTenureEnds();
        if (end === "stopped") return;
        if (end === "crash" && !(await lc.sleep(t.crashDowntimeMs))) return;
        // After a clean release the pod restarts (rolling deploy): away long enough for the peer's create to win.
        if (end === "release" && !(await lc.sleep(Math.max(t.lockPollMs * 3, t.crashDowntimeMs / 2)))) return;
      }
    });
  }

  /** Passive step: create when free, take over when abandoned. Any write conflict means someone else won. */
  private async tryAcquire(): Promise<boolean> {
    const { kv, lc, timings: t } = this.ctx;
    try {
      const e = await lc.unlessStopped(kv.get(this.kind));
      if (lc.stopped) return false;
      if (!e || e.operation !== "PUT") {
        this.acquiredAt = new Date();
        const rev = await lc.unlessStopped(kv.create(this.kind, this.value));
        if (rev === undefined) return false;
        this.revision = rev;
        lc.log(`lock ${this.kind}: ${this.holderId} acquired (rev ${this.revision})`);
        return true;
      }
      if (isExpired(e.created, t.lockTtlMs)) {
        this.acquiredAt = new Date();
        const rev = await lc.unlessStopped(kv.update(this.kind, this.value, e.revision));
        if (rev === undefined) return false;
        this.revision = rev;
        lc.log(`lock ${this.kind}: ${this.holderId} took over an expired lock (rev ${this.revision})`);
        return true;
      }
    } catch (err) {
      if (!lc.stopped && !isRevisionConflict(err))
        lc.warn(`lock:${this.holderId}`, `lock ${this.kind}: ${this.holderId} poll failed: ${describeError(err)}`);
    }
    return false;
  }

  private async holdUntilTenureEnds(): Promise<TenureEnd | "lost" | "stopped"> {
    const { kv, lc, rng, timings: t } = this.ctx;
    const endsAt = Date.now() + rng.range(t.crashMinMs, t.crashMaxMs);
    for (;;) {
      if (!(await lc.sleep(t.lockRenewMs))) return "stopped";
      if (Date.now() >= endsAt) {
        const end = rng.weighted(TENURE_ENDS);
        if (end === "release") {
          try {
            await lc.unlessStopped(kv.delete(this.kind, { previousSeq: this.revision }));
            lc.log(`lock ${this.kind}: ${this.holderId} released (handover)`);
          } catch (err) {
            lc.log(`lock ${this.kind}: ${this.holderId} release rejected: ${describeError(err)}`);
          }
          return "release";
        }
        if (end === "crash") {
          lc.log(`lock ${this.kind}: ${this.holderId} crashed (lock left to expire)`);
          return "crash";
        }
        lc.log(`lock ${this.kind}: ${this.holderId} paused`);
        if (!(await lc.sleep(t.lockTtlMs + t.lockPollMs * 2 + t.lockRenewMs))) return "stopped";
        // Fall through to renew with the now-stale revision: the peer has taken over, so this is rejected.
      }
      try {
        const rev = await lc.unlessStopped(kv.update(this.kind, this.value, this.revision));
        if (rev === undefined) return "stopped";
        this.revision = rev;
      } catch (err) {
        if (lc.stopped) return "stopped";
        lc.log(
          `lock ${this.kind}: ${this.holderId} lost the lock (${isRevisionConflict(err) ? "revision mismatch" : describeError(err)}), going passive`,
        );
        return "lost";
      }
    }
  }
}

export function startSingletons(kv: KV, lc: Lifecycle, rng: Rng, timings: DemoTimings): void {
  for (const kind of SINGLETON_KINDS) {
    for (let i = 0; i < REPLICAS_PER_KIND; i++) {
      const holderId = `${kind}-${i}`;
      new Replica({ kv, lc, rng: rng.fork(holderId), timings }, kind, holderId).run();
    }
  }
}
