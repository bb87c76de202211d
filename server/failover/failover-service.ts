/**
 * The Failover view's producer: classifies raw lock events into transitions (lib/failover/lock-transitions), keeps the
 * timeline (memory + busdeck's own stream), adds JetStream leader changes, and publishes `singletons` (state)
 * and `failover_timeline` (feed). Plain renews update state only; every other transition is recorded.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamManager } from "@nats-io/jetstream";
import { emptySingletonsSnapshot, type LeaderEvent, type SingletonsSnapshot, type TimelineEntry } from "../../lib/failover/timeline";
import {
  applyLockEvent,
  expireIfDue,
  newKeyTrack,
  singletonState,
  trackFromTransition,
  type KeyTrack,
  type LockTransition,
} from "../../lib/failover/lock-transitions";
import type { LockEvent } from "../../lib/failover/locks";
import type { Hub } from "../hub/hub";
import { describeError } from "../../lib/errors";
import { TimelineStore } from "./timeline-store";
import { openTransitionLog, type TransitionLog, type TransitionLogOptions } from "./transition-log";

export interface FailoverServiceOptions {
  hub: Hub;
  log?: (msg: string) => void;
  now?: () => number;
  /** Persist to busdeck's own stream (default on); tests of the classifier alone turn it off. */
  persist?: boolean;
  logOptions?: TransitionLogOptions;
  /** How often expiry is checked and ages republished. */
  tickMs?: number;
  /** Coalesce `singletons` publications under bursts (200 keys renewing every second); 250 ms keeps a
   * failover well inside the 1 s budget while sparing the browser 200 card updates 10×/s. */
  publishEveryMs?: number;
}

export interface FailoverService {
  store: TimelineStore;
  /** Resolves once persisted history is loaded (or found unavailable): watchers wait for it before replaying. */
  ready: Promise<void>;
  start(nc: NatsConnection, jsm: () => Promise<JetStreamManager>): void;
  onLockEvent(e: LockEvent): LockTransition[];
  setBucketMaxAge(bucket: string, maxAgeMs: number | null): void;
  recordLeader(e: LeaderEvent): void;
  setBucketError(bucket: string, message: string | null): void;
  stop(): void;
}

export function createFailoverService(opts: FailoverServiceOptions): FailoverService {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => {});
  const store = new TimelineStore();
  const tracks = new Map<string, KeyTrack>();
  const maxAge = new Map<string, number | null>();
  const errors = new Map<string, string>();
  let transitionLog: TransitionLog | null = null;
  let persistError: string | null = null;
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  let publishTimer: ReturnType<typeof setTimeout> | null = null;
  let tickTimer: ReturnType<typeof setInterval> | null = null;
  let stopped = false;

  const snapshot = (): SingletonsSnapshot => {
    const t = now();
    const allErrors: SingletonsSnapshot["errors"] = [...errors].map(([bucket, message]) => ({ bucket, message }));
    if (persistError) allErrors.push({ bucket: null, message: persistError });
    return {
      ...emptySingletonsSnapshot(),
      status: allErrors.length ? "degraded" : "ok",
      sampled_at: new Date(t).toISOString(),
      singletons: [...tracks.values()]
        .map((k) => singletonState(k, t))
        .sort((a, b) => `${a.bucket}/${a.key}`.localeCompare(`${b.bucket}/${b.key}`)),
      max_age_ms: Object.fromEntries(maxAge),
      history: { stream: transitionLog?.stream ?? null, oldest: store.oldest(), entries: store.size, persisted: transitionLog !== null },
      errors: allErrors,
    };
  };
  const publishNow = () => {
    publishTimer = null;
    if (!stopped) opts.hub.publishState("singletons", snapshot());
  };
  const schedulePublish = () => {
    publishTimer ??= setTimeout(publishNow, opts.publishEveryMs ?? 250);
  };

  const record = (entries: TimelineEntry[], persist = true) => {
    const fresh = entries.filter((e) => store.add(e));
    if (fresh.length === 0) return;
    opts.hub.appendFeed("failover_timeline", fresh);
    if (persist && transitionLog) {
      for (const e of fresh) {
        transitionLog.append(e).catch((err) => {
          persistError = `recording to ${transitionLog?.stream}: ${describeError(err)}`;
          schedulePublish();
        });
      }
    }
  };

  const trackOf = (bucket: string, key: string) => {
    const id = `${bucket}/${key}`;
    let t = tracks.get(id);
    if (!t) tracks.set(id, (t = newKeyTrack(bucket, key)));
    return t;
  };

  const restore = (entries: TimelineEntry[]) => {
    for (const e of entries) store.add(e);
    for (const [id, t] of store.lastLockTransitions()) tracks.set(id, trackFromTransition(t));
  };

  const service: FailoverService = {
    store,
    ready,
    start(nc, jsm) {
      opts.hub.publishState("singletons", emptySingletonsSnapshot());
      tickTimer = setInterval(() => {
        const t = now();
        const expired = [...tracks.values()].flatMap((k) => expireIfDue(k, t, maxAge.get(k.bucket) ?? null));
        record(expired.map((transition) => ({ source: "lock", transition })));
        store.prune(t);
        schedulePublish();
      }, opts.tickMs ?? 1_000);
      tickTimer.unref?.();
      if (opts.persist === false) return resolveReady();
      (async () => {
        try {
          const log_ = await openTransitionLog(nc, await jsm(), opts.logOptions);
          restore(await log_.readAll());
          transitionLog = log_;
          log(`failover: ${store.size} timeline entries restored from ${log_.stream}`);
        } catch (err) {
          persistError = `timeline not persisted: ${describeError(err)}`;
          log(`failover: ${persistError}`);
        } finally {
          resolveReady();
          schedulePublish();
        }
      })();
    },
    onLockEvent(e) {
      const transitions = applyLockEvent(trackOf(e.bucket, e.key), e, { maxAgeMs: maxAge.get(e.bucket) ?? null });
      record(transitions.filter((t) => t.kind !== "renew").map((transition) => ({ source: "lock", transition })));
      schedulePublish();
      return transitions;
    },
    setBucketMaxAge(bucket, ms) {
      maxAge.set(bucket, ms && ms > 0 ? ms : null);
      schedulePublish();
    },
    setBucketError(bucket, message) {
      if (message) errors.set(bucket, message);
      else errors.delete(bucket);
      schedulePublish();
    },
    recordLeader(e) {
      record([{ source: "jetstream", leader: e }]);
    },
    stop() {
      stopped = true;
      if (publishTimer) clearTimeout(publishTimer);
      if (tickTimer) clearInterval(tickTimer);
    },
  };
  return service;
}
