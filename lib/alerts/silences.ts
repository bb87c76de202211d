/**
 * Silences: an operator mutes one finding, or every finding of a rule, for a while, with a reason. A silenced
 * finding is not alerted (its transitions show as "silenced" in the delivery log). Stored in busdeck's own KV
 * bucket, one key per silence; expiring one early sets its end to now, so the record stays visible.
 */
import { z } from "zod";
import { FINDING_RULES, type Finding } from "../findings/finding";
import { RandomIdSchema } from "../wire/ids";

/** A week: longer mutes should be a rule change, not a silence someone forgets. */
export const MAX_SILENCE_MINUTES = 7 * 24 * 60;
export const MAX_SILENCE_REASON = 280;
/** Expired silences stay listed this long. */
export const EXPIRED_SILENCES_SHOWN_MS = 24 * 3_600_000;

const SilenceMatcherSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("finding"), finding_id: z.string().min(1).max(1_000) }),
  z.object({ kind: z.literal("rule"), rule: z.enum(FINDING_RULES) }),
]);
export type SilenceMatcher = z.infer<typeof SilenceMatcherSchema>;

const ReasonSchema = z
  .string()
  .trim()
  .min(1, "a silence needs a reason")
  .max(MAX_SILENCE_REASON, `at most ${MAX_SILENCE_REASON} characters`)
  .refine((t) => !/[\u0000-\u001f\u007f]/.test(t), "one line of text, no control characters");

export const SilenceSchema = z.object({
  id: RandomIdSchema,
  matcher: SilenceMatcherSchema,
  reason: ReasonSchema,
  author: z.string().max(200),
  created_at: z.iso.datetime(),
  ends_at: z.iso.datetime(),
});
export type Silence = z.infer<typeof SilenceSchema>;

/** What the silence form sends: what to mute, for how many minutes, and why. */
export const NewSilenceSchema = z.object({
  matcher: SilenceMatcherSchema,
  minutes: z.number().int().min(1).max(MAX_SILENCE_MINUTES),
  reason: ReasonSchema,
});
export type NewSilence = z.infer<typeof NewSilenceSchema>;

export const SilenceParamsSchema = z.object({ id: RandomIdSchema });

export function buildSilence(input: NewSilence, origin: { id: string; author: string; now: number }): Silence {
  return {
    id: origin.id,
    matcher: input.matcher,
    reason: input.reason,
    author: origin.author,
    created_at: new Date(origin.now).toISOString(),
    ends_at: new Date(origin.now + input.minutes * 60_000).toISOString(),
  };
}

export const isActiveSilence = (s: Silence, now: number): boolean => Date.parse(s.ends_at) > now && Date.parse(s.created_at) <= now;

export function matchesFinding(matcher: SilenceMatcher, finding: Pick<Finding, "id" | "rule">): boolean {
  return matcher.kind === "finding" ? matcher.finding_id === finding.id : matcher.rule === finding.rule;
}

/** The active silence that mutes `finding` at `now` (the one ending last), or null. */
export function silenceFor(finding: Pick<Finding, "id" | "rule">, silences: readonly Silence[], now: number): Silence | null {
  let found: Silence | null = null;
  for (const s of silences) {
    if (!isActiveSilence(s, now) || !matchesFinding(s.matcher, finding)) continue;
    if (!found || s.ends_at > found.ends_at) found = s;
  }
  return found;
}

/** The silence ended now (kept, so the page still shows who muted what). */
export const expireSilence = (s: Silence, now: number): Silence =>
  Date.parse(s.ends_at) <= now ? s : { ...s, ends_at: new Date(now).toISOString() };

/** What the page lists: active ones ending soonest first, then those expired within a day, most recent first. */
export function listedSilences(silences: readonly Silence[], now: number): Silence[] {
  const active = silences.filter((s) => isActiveSilence(s, now)).sort((a, b) => a.ends_at.localeCompare(b.ends_at));
  const expired = silences
    .filter((s) => !isActiveSilence(s, now) && now - Date.parse(s.ends_at) <= EXPIRED_SILENCES_SHOWN_MS)
    .sort((a, b) => b.ends_at.localeCompare(a.ends_at));
  return [...active, ...expired];
}

export const describeMatcher = (m: SilenceMatcher): string => (m.kind === "finding" ? `finding ${m.finding_id}` : `rule ${m.rule}`);
