/**
 * NATS subject matching as JetStream applies a stream's subjects and a consumer's filter: tokens split at dots,
 * `*` matches exactly one token, `>` (last token only) matches one or more remaining tokens.
 */

/** Whether the literal `subject` is matched by `filter`. */
export function subjectMatches(filter: string, subject: string): boolean {
  const want = filter.split(".");
  const got = subject.split(".");
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w === ">") return i === want.length - 1 && got.length > i;
    if (i >= got.length) return false;
    if (w !== "*" && w !== got[i]) return false;
  }
  return want.length === got.length;
}

/** Whether any of `filters` matches `subject`; an empty list (no filter) matches every subject. */
export function anyFilterMatches(filters: readonly string[], subject: string): boolean {
  return filters.length === 0 || filters.some((f) => subjectMatches(f, subject));
}

/** A subject a message can be published to: no wildcards, no empty tokens, no whitespace. */
export function literalSubjectProblem(subject: string): string | null {
  if (subject.length === 0) return "must not be empty";
  if (/\s/.test(subject)) return "must not contain whitespace";
  const tokens = subject.split(".");
  if (tokens.some((t) => t === "")) return "has an empty token (two dots, or a leading/trailing dot)";
  if (tokens.some((t) => t === "*" || t === ">")) return "must be a literal subject, without wildcards";
  return null;
}
