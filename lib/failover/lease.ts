/**
 * Lease math of busdeck's own sampler election (docs/architecture.md, "Sampler election"; the lock pattern of
 * docs/contracts.md, "Singleton locks"): pure, so the election loop in
 * server/fleet/ can be driven by any clock. A lock is abandoned once its last write (create, renew or
 * takeover) is older than the lease; the holder steps down before that point if it cannot renew, so two
 * replicas never both believe they hold it.
 */
import type { LockValue } from "./locks";

export interface LeaseTimings {
  /** How long a write keeps the lock: after this without a renew, any replica may take it over. */
  leaseMs: number;
  /** How often the holder renews (update with its last revision). */
  renewMs: number;
  /** How often a passive replica looks at the lock. */
  pollMs: number;
}

/** Renew three times per lease, look twice per renew interval: a lost renew or two is survivable. */
export function leaseTimings(leaseMs: number): LeaseTimings {
  const renewMs = Math.max(50, Math.floor(leaseMs / 3));
  return { leaseMs, renewMs, pollMs: Math.max(25, Math.floor(renewMs / 2)) };
}

/** A lock whose last write is older than the lease is abandoned (strictly older: the boundary still holds). */
export function isLeaseExpired(lastWriteMs: number, leaseMs: number, now: number): boolean {
  return now - lastWriteMs > leaseMs;
}

/**
 * How long a passive replica waits before looking again: its poll interval, but no later than just past the
 * moment the holder's lease runs out — so a crashed holder is replaced within one lease of its last renew.
 */
export function nextPollDelay(lastWriteMs: number | null, t: LeaseTimings, now: number): number {
  if (lastWriteMs === null) return t.pollMs;
  const untilExpiry = lastWriteMs + t.leaseMs + 1 - now;
  return Math.max(1, Math.min(t.pollMs, untilExpiry));
}

/**
 * The holder gives up once its last successful renew is a renew interval short of the lease: by then the
 * others may be about to take over, and stepping down early is what keeps samples from two leaders apart.
 */
export function mustStepDown(lastRenewOkMs: number, t: LeaseTimings, now: number): boolean {
  return now - lastRenewOkMs >= t.leaseMs - t.renewMs;
}

/** The lock value in the documented contract (docs/contracts.md), so busdeck's lock shows in its own Failover view. */
export function leaseLockValue(holderId: string, acquiredAt: Date, t: LeaseTimings): LockValue {
  return { holder_id: holderId, acquired_at: acquiredAt.toISOString(), ttl_s: t.leaseMs / 1000, renew_interval_s: t.renewMs / 1000 };
}
