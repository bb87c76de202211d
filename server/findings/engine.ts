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
import type { Hub } from "../hub/hub";

export interface FindingsEngineOptions {
  hub: Hub;
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
      const { conditions, judged } = evaluateRules({ now: at, ...sample, singletons: opts.hub.getState("singletons") ?? null });
      // The sample's own time, so `since` says when the sample saw it, whatever the evaluation's delay.
      const evaluatedAt = sample.consumers.sampled_at ?? new Date(at).toISOString();
      const step = stepFindings(state, conditions, judged, evaluatedAt, opts.hysteresis ?? DEFAULT_HYSTERESIS);
      state = step.state;
      opts.hub.publishState("findings", findingsSnapshot(state, evaluatedAt));
      if (step.opened.length > 0 || step.resolved.length > 0) opts.onChange?.({ opened: step.opened, resolved: step.resolved });
    },
  };
}
