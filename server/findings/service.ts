/**
 * Findings for one replica: the engine, fed by the samples this replica takes as the elected sampler; the events
 * it opens and resolves written to BUSDECK_FINDINGS; every replica's view restored from that stream at start and
 * kept up from the events as they are written, so all replicas serve the same findings.
 */
import "server-only";
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamManager } from "@nats-io/jetstream";
import { describeError } from "../../lib/errors";
import type { FindingEvent } from "../../lib/findings/events";
import { timelineEvent } from "../../lib/findings/triage";
import type { TimelineStore } from "../failover/timeline-store";
import type { Hub } from "../hub/hub";
import type { ReplicaSetting } from "../replicas";
import { createFindingsEngine, type FindingsEngine } from "./engine";
import { openFindingLog, watchFindingEvents, type FindingLog } from "./finding-log";

export interface FindingsServiceOptions {
  nc: NatsConnection;
  jsm: () => Promise<JetStreamManager>;
  hub: Hub;
  timeline: Pick<TimelineStore, "query">;
  replicas: ReplicaSetting;
  log: (msg: string) => void;
  /**
   * Each finding this replica opened or resolved that no other replica had written first: what is alerted, so a
   * takeover's two leaders alert it once. Also called when the log write failed (a page beats a lost alert).
   */
  onTransition?: (event: FindingEvent) => void;
}

export interface FindingsService {
  evaluate: FindingsEngine["evaluate"];
  /** A sample the elected sampler took and evaluated, as a follower receives it: its evaluation time, once history is restored. */
  followSample: FindingsEngine["followSample"];
  /** The events this replica replayed or followed that happened at or after `fromMs`, oldest first (the overview's timeline). */
  history(fromMs: number): FindingEvent[];
  stop(): void;
}

/** Events kept in memory for the overview's timeline: as many as a restart replays (server/findings/finding-log.ts). */
const KEEP_EVENTS = 20_000;

export function startFindings(opts: FindingsServiceOptions): FindingsService {
  // Opened on first use; a failure is retried on the next write.
  let opening: Promise<FindingLog> | null = null;
  const findingLog = () =>
    (opening ??= opts
      .jsm()
      .then((m) => openFindingLog(opts.nc, m, { replicas: opts.replicas }))
      .catch((e) => ((opening = null), Promise.reject(e))));
  const engine = createFindingsEngine({
    hub: opts.hub,
    timeline: opts.timeline,
    onEvent: (event) =>
      void findingLog()
        .then((l) => l.append(event))
        .catch((err) => (opts.log(`findings: write failed: ${describeError(err)}`), true))
        .then((written) => written && opts.onTransition?.(event)),
  });
  const recent: FindingEvent[] = [];
  const follow = (event: FindingEvent) => {
    // the timeline counts findings opening and resolving; a severity change is neither
    if (event.type !== "severity_changed") recent.push(event);
    if (recent.length > KEEP_EVENTS) recent.splice(0, recent.length - KEEP_EVENTS);
    engine.apply(event);
  };
  const unwatch = watchFindingEvents(opts.nc, follow);
  // A follower says "ok" only once the open findings are restored: an empty list before that would read as all clear.
  let restored = false;
  findingLog()
    .then((l) => l.readRecent())
    .then((events) => events.forEach(follow))
    .catch((err) => opts.log(`findings: history not restored: ${describeError(err)}`))
    .finally(() => (restored = true));
  return {
    evaluate: engine.evaluate,
    followSample(sample) {
      if (restored) engine.followSample(sample);
    },
    history: (fromMs) => recent.filter((e) => timelineEvent(e).at >= fromMs),
    stop: unwatch,
  };
}
