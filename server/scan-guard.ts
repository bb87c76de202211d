/**
 * Limits the expensive reads — payload searches and outcome range queries — that each walk a stream
 * with a consumer of their own: how many run at once (in total and per client address) and how often one
 * address may start one. Without it, a script hammering the search endpoint turns busdeck into a load
 * generator against the NATS cluster it is meant to watch.
 */
import { SseAdmission, type Admission } from "./sse-admission";

export interface ScanLimits {
  maxConcurrent: number;
  maxConcurrentPerAddress: number;
  /** Starts per address per minute, refilled continuously (a token bucket, so short bursts are fine). */
  startsPerMinute: number;
}

export type ScanAdmission = Admission & { retryAfterS?: number };

/** Buckets are dropped once full again; this caps the map if many addresses pass by within a minute. */
const MAX_TRACKED_ADDRESSES = 10_000;

export class ScanGuard {
  private readonly running: SseAdmission;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limits: ScanLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.running = new SseAdmission({ maxClients: limits.maxConcurrent, maxPerAddress: limits.maxConcurrentPerAddress }, "running scans");
  }

  admit(address: string): ScanAdmission {
    const bucket = this.refill(address);
    if (bucket.tokens < 1) {
      const retryAfterS = Math.ceil(((1 - bucket.tokens) * 60) / this.limits.startsPerMinute);
      return {
        ok: false,
        reason: `too many scans from ${address} (${this.limits.startsPerMinute} a minute); retry in ${retryAfterS} s`,
        retryAfterS,
      };
    }
    const admission = this.running.admit(address);
    if (!admission.ok) return { ...admission, retryAfterS: 5 };
    bucket.tokens -= 1;
    return admission;
  }

  private refill(address: string): { tokens: number; at: number } {
    const t = this.now();
    const capacity = this.limits.startsPerMinute;
    const bucket = this.buckets.get(address) ?? { tokens: capacity, at: t };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((t - bucket.at) / 60_000) * capacity);
    bucket.at = t;
    if (this.buckets.size >= MAX_TRACKED_ADDRESSES) this.forgetFullBuckets();
    this.buckets.set(address, bucket);
    return bucket;
  }

  private forgetFullBuckets(): void {
    const t = this.now();
    for (const [address, b] of this.buckets) {
      if (b.tokens + ((t - b.at) / 60_000) * this.limits.startsPerMinute >= this.limits.startsPerMinute) this.buckets.delete(address);
    }
  }
}
