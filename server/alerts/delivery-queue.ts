/**
 * One bounded queue per alert target: deliveries go out in order, one at a time, retried with exponential
 * back-off (lib/alerts/backoff.ts). `enqueue` never waits, so a slow or unreachable target never holds up the
 * sampler; when a target's queue is full the new delivery is dropped and logged as such.
 */
import "server-only";
import type { Finding, FindingSeverity } from "../../lib/findings/finding";
import { retryDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from "../../lib/alerts/backoff";
import type { DeliveryRecord } from "../../lib/alerts/deliveries";
import { describeError } from "../../lib/errors";
import type { AlertTarget } from "./targets";

export const DEFAULT_QUEUE_CAPACITY = 500;

export interface Delivery {
  id: string;
  transition: DeliveryRecord["transition"];
  /** What the log names: the finding's id, or a summary for a batch. */
  finding_id: string;
  /** The finding's page; null for a batch. */
  link: string | null;
  findings: Finding[];
  /** On a severity change: the severity the finding had before. */
  previousSeverity?: FindingSeverity;
  /** Overrides the policy's attempts (a refresh is tried once: the next refresh is its retry). */
  maxAttempts?: number;
  /** Log only failures (a periodic refresh would otherwise fill the log). */
  quiet?: boolean;
}

export interface DeliveryQueueOptions {
  target: AlertTarget;
  onRecord: (record: DeliveryRecord) => void;
  capacity?: number;
  backoff?: BackoffPolicy;
  now?: () => number;
}

export interface DeliveryQueue {
  enqueue(delivery: Delivery): void;
  /** Deliveries waiting or in flight. */
  size(): number;
  stop(): void;
}

export function createDeliveryQueue(opts: DeliveryQueueOptions): DeliveryQueue {
  const now = opts.now ?? Date.now;
  const capacity = opts.capacity ?? DEFAULT_QUEUE_CAPACITY;
  const waiting: Delivery[] = [];
  let running = false;
  let stopped = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const record = (d: Delivery, result: DeliveryRecord["result"], attempts: number, error: string | null) => {
    if (d.quiet && result === "delivered") return;
    opts.onRecord({
      id: `${d.id}/${opts.target.kind}`,
      at: new Date(now()).toISOString(),
      target: opts.target.kind,
      finding_id: d.finding_id,
      link: d.link,
      transition: d.transition,
      result,
      attempts,
      error,
    });
  };

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      retryTimer = setTimeout(resolve, ms);
      retryTimer.unref?.();
    });

  /** Tries `d` until it is delivered or out of attempts. */
  const deliver = async (d: Delivery) => {
    const policy = { ...(opts.backoff ?? DEFAULT_BACKOFF), ...(d.maxAttempts ? { maxAttempts: d.maxAttempts } : {}) };
    for (let attempt = 1; !stopped; attempt++) {
      try {
        await opts.target.send(d.findings, d.previousSeverity);
        return record(d, "delivered", attempt, null);
      } catch (err) {
        const delay = retryDelayMs(attempt, policy);
        record(d, delay === null ? "failed" : "retrying", attempt, describeError(err));
        if (delay === null) return;
        await pause(delay);
      }
    }
  };

  const drain = async () => {
    if (running) return;
    running = true;
    try {
      for (let next = waiting[0]; next && !stopped; next = waiting[0]) {
        await deliver(next);
        waiting.shift();
      }
    } finally {
      running = false;
    }
  };

  return {
    enqueue(delivery) {
      if (stopped) return;
      if (waiting.length >= capacity) return record(delivery, "dropped", 0, `queue full (${capacity} waiting)`);
      waiting.push(delivery);
      void drain();
    },
    size: () => waiting.length,
    stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      waiting.length = 0;
    },
  };
}
