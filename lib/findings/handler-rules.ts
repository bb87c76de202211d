/**
 * Handler rules beyond the error spike, from verdicts the outcome summary already carries:
 *   handler_latency  the last minutes' p95 of `duration_ms` is over twice the trailing hour's (lib/outcomes/latency.ts).
 *   handler_silent   a handler with a steady rate has produced nothing for too long (lib/outcomes/silence.ts).
 */
import { formatCount, formatDuration } from "../format";
import { links } from "../links";
import { describeSilence } from "../outcomes/silence";
import type { HandlerSummary, OutcomeStats } from "../outcomes/outcome";
import { findingCondition as condition, type FindingCondition, type FindingEntity } from "./finding";

const entityOf = (h: HandlerSummary): FindingEntity => ({ kind: "handler", handler: h.handler_id });

export function handlerLatencyConditions(stats: OutcomeStats): FindingCondition[] {
  const out: FindingCondition[] = [];
  for (const h of Object.values(stats.handlers)) {
    const j = h.latency_jump;
    if (!j) continue;
    const evidence =
      `p95 ${formatDuration(j.recent_p95)} over the last 5 min (${formatCount(j.recent_count)} outcomes), ` +
      `against ${formatDuration(j.baseline_p95)} in the hour before (${formatCount(j.baseline_count)})`;
    out.push(condition(entityOf(h), "handler_latency", "warning", evidence, links.outcomes({ handler: h.handler_id })));
  }
  return out;
}

export function handlerSilenceConditions(stats: OutcomeStats): FindingCondition[] {
  const out: FindingCondition[] = [];
  for (const h of Object.values(stats.handlers)) {
    if (!h.silent) continue;
    out.push(condition(entityOf(h), "handler_silent", "warning", describeSilence(h.silent), links.outcomes({ handler: h.handler_id })));
  }
  return out;
}
