/**
 * Retries with exponential back-off for alert deliveries: the delay before each retry doubles from `baseMs` up to
 * `maxMs`, and a delivery is given up after `maxAttempts`. Pure: no jitter source or clock of its own.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000, maxAttempts: 6 };

/** The wait after failed attempt `attempt` (1-based) before the next one; null when no attempt is left. */
export function retryDelayMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number | null {
  if (attempt >= policy.maxAttempts) return null;
  return Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
}

/** Every wait a delivery that always fails goes through, in order. */
export function backoffSchedule(policy: BackoffPolicy = DEFAULT_BACKOFF): number[] {
  const delays: number[] = [];
  for (let attempt = 1; ; attempt++) {
    const delay = retryDelayMs(attempt, policy);
    if (delay === null) return delays;
    delays.push(delay);
  }
}
