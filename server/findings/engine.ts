/**
 * The findings engine: on each sample the elected sampler takes, runs the rules (lib/findings/rules.ts) over the
 * sample and the singletons the hub holds, advances the hysteresis and publishes the `findings` hub topic.
 */
import "server-only";
import type { ConsumersSnapshot } from "../../lib/consumers/types";
import type { StreamsSnapshot } from "../../lib/streams/types";
import type { Finding } from "../../lib/findings/finding";
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
  /** Findings that opened or resolved at this evaluation (the persisted log and alerts hang here). */
  onChange?: (change: { opened: Finding[]; resolved: Finding[] }) => void;
}

export interface FindingsEngine {
  /** One evaluation, for a sample this replica took as the elected sampler. */
  evaluate(sample: { streams: StreamsSnapshot; consumers: ConsumersSnapshot }): void;
}

export function createFindingsEngine(opts: FindingsEngineOptions): FindingsEngine {
  const now = opts.now ?? Date.now;
  let state = initialFindingsState();
  return {
    evaluate(sample) {
      const at = now();
      const { conditions, judged } = evaluateRules({
        now: at,
        ...sample,
        singletons: opts.hub.getState("singletons") ?? null,
        lockTransitions: opts.timeline ? recentLockTransitions(opts.timeline, at) : [],
        outcomes: opts.hub.getState("outcome_stats") ?? null,
      });
      // The sample's own time, so `since` says when the sample saw it, whatever the evaluation's delay.
      const evaluatedAt = sample.consumers.sampled_at ?? new Date(at).toISOString();
      const step = stepFindings(state, conditions, judged, evaluatedAt, opts.hysteresis ?? DEFAULT_HYSTERESIS);
      state = step.state;
      opts.hub.publishState("findings", findingsSnapshot(state, evaluatedAt));
      if (step.opened.length > 0 || step.resolved.length > 0) opts.onChange?.({ opened: step.opened, resolved: step.resolved });
    },
  };
}

function recentLockTransitions(timeline: Pick<TimelineStore, "query">, now: number): LockTransition[] {
  const { entries } = timeline.query({ from: now - LOCK_LOOKBACK_MS, to: now });
  return entries.flatMap((e) => (e.source === "lock" ? [e.transition] : []));
}
