/**
 * NATS subjects as JetStream reads them: parsing a typed subject (one pass, linear in its length) and matching
 * subjects against filters with `*` (exactly one token) and `>` (one or more trailing tokens).
 */

/** The longest subject a question may be: far above any real subject, and a bound on the work done. */
export const MAX_SUBJECT_LENGTH = 1_024;

export interface Subject {
  text: string;
  tokens: string[];
  /** Holds `*` or `>`: a question about many subjects, answered by overlap. */
  wildcard: boolean;
}

export type ParsedSubject = { ok: true; subject: Subject } | { ok: false; problem: string };

const WHITESPACE = /\s/;

/** A typed subject, or the first problem with it, named so the operator can fix it. */
export function parseSubject(text: string): ParsedSubject {
  if (text.length === 0) return { ok: false, problem: "empty subject" };
  if (text.length > MAX_SUBJECT_LENGTH) return { ok: false, problem: `longer than ${MAX_SUBJECT_LENGTH} characters` };
  const tokens = text.split(".");
  let wildcard = false;
  for (let i = 0; i < tokens.length; i++) {
    const problem = tokenProblem(tokens[i]!, i, tokens.length);
    if (problem) return { ok: false, problem };
    if (tokens[i] === "*" || tokens[i] === ">") wildcard = true;
  }
  return { ok: true, subject: { text, tokens, wildcard } };
}

function tokenProblem(token: string, index: number, count: number): string | null {
  const position = `token ${index + 1}`;
  if (token.length === 0) return `empty ${position} (a leading, trailing or doubled ".")`;
  if (WHITESPACE.test(token)) return `${position} "${token}" holds whitespace`;
  if (token === ">") return index === count - 1 ? null : `">" must be the last token (it is ${position} of ${count})`;
  if (token === "*") return null;
  if (token.includes("*") || token.includes(">")) return `wildcard inside ${position} "${token}" (a wildcard must be a whole token)`;
  return null;
}

/**
 * Whether some subject matches both `a` and `b` (either may hold wildcards): JetStream's rule for overlapping
 * filters. With a literal `a` it is "does `a` match the filter `b`".
 */
export function subjectsOverlap(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === ">" || y === ">") return true;
    if (x !== y && x !== "*" && y !== "*") return false;
  }
  return a.length === b.length;
}

/** Whether every subject that matches `question` also matches `filter`: the filter captures all of it, not part. */
export function filterCovers(filter: readonly string[], question: readonly string[]): boolean {
  for (let i = 0; i < question.length; i++) {
    const f = filter[i];
    const q = question[i]!;
    if (f === undefined) return false;
    if (f === ">") return true;
    if (q === ">") return false;
    if (f !== "*" && f !== q) return false;
  }
  return filter.length === question.length;
}

/** A filter subject's tokens (filters come from JetStream, already valid). */
export const tokensOf = (subject: string): string[] => subject.split(".");
