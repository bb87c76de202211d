/**
 * The findings engine: on each sample the elected sampler takes, runs the rules (lib/findings/rules.ts) over the
 * sample and the singletons the hub holds, advances the hysteresis and publishes the `findings` hub topic.
 */
import "server-only";
import type { ConsumersSnapshot } from "../../lib/consumers/types";
import type { StreamsSnapshot } from "../../lib/streams/types";
import { applyFindingEvent, type FindingEvent } from "../../lib/findings/events";
import {
  DEFAULT_HYSTERESIS,
  findingsSnapshot,
  initialFindingsState,
  stepFindings,
  type HysteresisConfig,
} from "../../lib/findings/hysteresis";
import { evaluateRules } from "../../lib/findings/rules";
import type { LockTransition } from "../../lib/failover/lock-transitions";
import type { TimelineStore } from "../failover/timeline-store";
import type { Hub } from "../hub/hub";

/** How far back lock transitions are read: the split-brain alarm's reach, longer than the flapping window. */
const LOCK_LOOKBACK_MS = 3600_000;

export interface FindingsEngineOptions {
  hub: Hub;
  /** The failover timeline (server/failover/): lock transitions for the split-brain and flapping rules. */
  timeline?: Pick<TimelineStore, "query">;
  hysteresis?: HysteresisConfig;
  now?: () => number;
  /** Each finding this replica opened or resolved (the persisted log, later alerts). */
  onEvent?: (event: FindingEvent) => void;
}

export interface FindingsEngine {
  /** One evaluation, for a sample this replica took as the elected sampler. */
  evaluate(sample: { streams: StreamsSnapshot; consumers: ConsumersSnapshot }): void;
  /** An event from the log (a restart's replay, or the elected sampler's on a follower); idempotent. */
  apply(event: FindingEvent): void;
  /** On a follower: the elected sampler's sample, which it evaluated at the sample's time; shown as the evaluation time. */
  followSample(sample: { consumers: ConsumersSnapshot }): void;
}

/** When a sample is evaluated: at the sample's own time, so `since` says when the sample saw it, whatever the delay. */
const evaluationTime = (sample: { consumers: ConsumersSnapshot }, now: number): string =>
  sample.consumers.sampled_at ?? new Date(now).toISOString();

export function createFindingsEngine(opts: FindingsEngineOptions): FindingsEngine {
  const now = opts.now ?? Date.now;
  const hysteresis = opts.hysteresis ?? DEFAULT_HYSTERESIS;
  let state = initialFindingsState();
  let evaluatedAt: string | null = null;
  // Until this replica evaluates or follows a sample, it has no evaluation time to show: an applied event is not one.
  const publish = () => opts.hub.publishState("findings", findingsSnapshot(state, evaluatedAt));
  return {
    evaluate(sample) {
      const at = now();
      const { conditions, judged } = evaluateRules({
        now: at,
        tracked: state.tracks,
        ...sample,
        singletons: opts.hub.getState("singletons") ?? null,
        lockTransitions: opts.timeline ? recentLockTransitions(opts.timeline, at) : [],
        outcomes: opts.hub.getState("outcome_stats") ?? null,
      });
      evaluatedAt = evaluationTime(sample, at);
      const step = stepFindings(state, conditions, judged, evaluatedAt, hysteresis);
      state = step.state;
      publish();
      for (const finding of step.opened) opts.onEvent?.({ type: "opened", finding });
      for (const finding of step.resolved) opts.onEvent?.({ type: "resolved", finding });
      for (const { finding, previous } of step.changed) opts.onEvent?.({ type: "severity_changed", finding, previous_severity: previous });
    },
    apply(event) {
      const next = applyFindingEvent(state, event, hysteresis);
      if (next === state) return;
      state = next;
      publish();
    },
    followSample(sample) {
      evaluatedAt = evaluationTime(sample, now());
      publish();
    },
  };
}

function recentLockTransitions(timeline: Pick<TimelineStore, "query">, now: number): LockTransition[] {
  const { entries } = timeline.query({ from: now - LOCK_LOOKBACK_MS, to: now });
  return entries.flatMap((e) => (e.source === "lock" ? [e.transition] : []));
}
