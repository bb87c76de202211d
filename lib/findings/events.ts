/**
 * Findings opened and resolved, as events: what busdeck persists in BUSDECK_FINDINGS and every replica applies,
 * so a restart or a new elected sampler resumes the same open findings with the same `since`.
 */
import { z } from "zod";
import { FINDING_RULES, FINDING_SEVERITIES, type Finding } from "./finding";
import { DEFAULT_HYSTERESIS, type FindingsState, type HysteresisConfig } from "./hysteresis";

const EntitySchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("consumer"), stream: z.string(), consumer: z.string() }),
  z.object({ kind: z.literal("stream"), stream: z.string() }),
  z.object({ kind: z.literal("handler"), handler: z.string() }),
  z.object({ kind: z.literal("singleton"), bucket: z.string(), key: z.string() }),
]);

const FindingSchema = z.object({
  id: z.string().min(1).max(1_000),
  severity: z.enum(FINDING_SEVERITIES),
  entity: EntitySchema,
  rule: z.enum(FINDING_RULES),
  evidence: z.string().max(4_000),
  link: z.string().max(2_000),
  state: z.enum(["open", "resolved"]),
  since: z.iso.datetime(),
  resolved_at: z.iso.datetime().nullable(),
}) satisfies z.ZodType<Finding>;

/** Opened, resolved, or an open finding's severity changed (`previous_severity` is what it was). */
export const FindingEventSchema = z.object({
  type: z.enum(["opened", "resolved", "severity_changed"]),
  finding: FindingSchema,
  previous_severity: z.enum(FINDING_SEVERITIES).optional(),
});
export type FindingEvent = z.infer<typeof FindingEventSchema>;

/**
 * Same finding, same run, same transition: a second leader around a takeover writes it once (Nats-Msg-Id). A
 * severity change is keyed by the severity reached, so one flapping back and forth is stored (and alerted) at most
 * once per severity within the stream's duplicate window.
 */
export const findingEventId = (e: FindingEvent): string =>
  `${e.finding.id}@${e.finding.since}/${e.type}${e.type === "severity_changed" ? `:${e.finding.severity}` : ""}`;

/**
 * One event into the state: opened adds an open track (already past the open threshold), resolved ends it, a severity
 * change updates the open one of the same run. Idempotent.
 */
export function applyFindingEvent(state: FindingsState, event: FindingEvent, cfg: HysteresisConfig = DEFAULT_HYSTERESIS): FindingsState {
  const { finding } = event;
  const tracks = new Map(state.tracks);
  const current = tracks.get(finding.id);
  const resolvedAlready = state.resolved.some((r) => r.id === finding.id && r.since === finding.since);
  if (event.type === "severity_changed") {
    if (!current?.open || current.since !== finding.since || current.condition.severity === finding.severity) return state;
    const { state: _, since: __, resolved_at: ___, ...condition } = finding;
    tracks.set(finding.id, { ...current, condition });
    return { tracks, resolved: state.resolved };
  }
  if (event.type === "opened") {
    // A replay's opened after the live resolved stays resolved; one this replica opened later takes the log's since.
    if (resolvedAlready || (current?.open && current.since <= finding.since)) return state;
    const { state: _, since, resolved_at: __, ...condition } = finding;
    tracks.set(finding.id, { condition: current?.condition ?? condition, since, holding: cfg.openAfter, clear: 0, open: true });
    return { tracks, resolved: state.resolved };
  }
  if (current?.since === finding.since) tracks.delete(finding.id);
  if (resolvedAlready && tracks.size === state.tracks.size) return state;
  const resolved = resolvedAlready ? state.resolved : [finding, ...state.resolved].slice(0, cfg.keepResolved);
  return { tracks, resolved };
}
