/** Every clock the demo runs on, in one place, so tests can run a compressed version of the same story. */

export interface DemoTimings {
  /** Active singleton renews its lock this often (the lock's `renew_interval_seconds`, docs/contracts.md#singleton-locks). */
  lockRenewMs: number;
  /** A lock whose last update is older than this is considered abandoned and may be taken over. */
  lockTtlMs: number;
  /** Passive replicas re-read the lock this often. */
  lockPollMs: number;
  /** The active holder "crashes" (or hands over) after a uniform delay in [crashMinMs, crashMaxMs]. */
  crashMinMs: number;
  crashMaxMs: number;
  /** A crashed replica stays down this long before rejoining as passive; longer than the ttl so its peer wins. */
  crashDowntimeMs: number;
  /** consolidation-consumer alternates: runs (and catches up) for runMs, then stalls for stallMs. */
  consolidationRunMs: number;
  consolidationStallMs: number;
  /** Delay before the first error wave, gap between waves (jittered ±25%), and how long one lasts. */
  firstErrorWaveAfterMs: number;
  errorWaveEveryMs: number;
  errorWaveDurationMs: number;
  /** Mean gap between malformed outcome payloads; the first arrives within this too. */
  malformedOutcomeEveryMs: number;
  /** metrics-consumer's NAK redelivery delay. */
  metricsNakDelayMs: number;
  /** Pull request expiry for every fetch loop (the client rejects < 1000 ms). */
  fetchExpiresMs: number;
}

export const DEFAULT_DEMO_TIMINGS: Readonly<DemoTimings> = Object.freeze({
  lockRenewMs: 2_000,
  lockTtlMs: 6_000,
  lockPollMs: 1_000,
  crashMinMs: 45_000,
  crashMaxMs: 60_000,
  crashDowntimeMs: 15_000,
  consolidationRunMs: 40_000,
  consolidationStallMs: 40_000,
  firstErrorWaveAfterMs: 45_000,
  errorWaveEveryMs: 180_000,
  errorWaveDurationMs: 30_000,
  malformedOutcomeEveryMs: 20_000,
  metricsNakDelayMs: 2_000,
  fetchExpiresMs: 1_000,
});

/** A compressed story for tests and e2e: a failover every few seconds, waves and stalls within ~10 s. */
export const FAST_DEMO_TIMINGS: Readonly<DemoTimings> = Object.freeze({
  lockRenewMs: 200,
  lockTtlMs: 800,
  lockPollMs: 150,
  crashMinMs: 1_500,
  crashMaxMs: 2_500,
  crashDowntimeMs: 1_500,
  consolidationRunMs: 3_000,
  consolidationStallMs: 3_000,
  firstErrorWaveAfterMs: 500,
  errorWaveEveryMs: 8_000,
  errorWaveDurationMs: 3_000,
  malformedOutcomeEveryMs: 1_000,
  metricsNakDelayMs: 200,
  fetchExpiresMs: 1_000,
});

export function resolveTimings(partial: Partial<DemoTimings> = {}): DemoTimings {
  const t: DemoTimings = { ...DEFAULT_DEMO_TIMINGS };
  for (const [k, v] of Object.entries(partial) as [keyof DemoTimings, number | undefined][]) {
    if (v !== undefined) t[k] = v;
  }
  for (const [k, v] of Object.entries(t)) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`demo timing ${k} must be a non-negative number, got ${v}`);
  }
  if (t.crashMaxMs < t.crashMinMs) throw new RangeError("demo timing crashMaxMs must be >= crashMinMs");
  if (t.lockTtlMs <= t.lockRenewMs) throw new RangeError("demo timing lockTtlMs must exceed lockRenewMs");
  t.fetchExpiresMs = Math.max(1_000, t.fetchExpiresMs);
  return t;
}
