/**
 * One error group over a range, for its page: how often it fired over time, first and last seen, the targets
 * it hit, its example values, its newest outcomes, and what differs between their event payloads.
 */
import { addExample, exampleValue, fingerprint, MAX_EXAMPLES, patternId, type GroupExample } from "./fingerprint";
import { groupLine, outcomeTime, type OutcomeBucket, type OutcomeRecord } from "./outcome";
import { timelineBuckets } from "./buckets";

/** Targets listed by count; the rest are summed as "others". */
export const TOP_TARGETS = 10;
/** Newest outcomes shown side by side. */
export const LATEST_SIDE_BY_SIDE = 3;
const TIMELINE_BUCKETS = 60;

export interface ErrorGroupDetail {
  handler_id: string;
  id: string;
  /** Null when no outcome of the range falls in the group. */
  pattern: string | null;
  count: number;
  first_seen: string | null;
  last_seen: string | null;
  examples: GroupExample[];
  targets: { target: string | null; count: number }[];
  /** Outcomes of the group on targets beyond the top ones. */
  other_targets: number;
  timeline: OutcomeBucket[];
  /** The newest outcomes of the group, newest first, bounded for a list; the first few are shown side by side. */
  records: OutcomeRecord[];
  range: { from: string; to: string };
  /** False when the range held more outcomes than one scan reads: only its newest part was counted. */
  complete: boolean;
}

/** Whether `r` is an errored outcome of the group with pattern id `id`. */
export function inGroupWithId(r: OutcomeRecord, id: string): boolean {
  return r.valid && r.body.kind === "errored" && patternId(fingerprint(groupLine(r.body)).pattern) === id;
}

/** The group's detail from its outcomes in the range (any order); `limit` bounds the records listed. */
export function summarizeErrorGroup(
  matches: readonly OutcomeRecord[],
  group: { handler_id: string; id: string },
  range: { from: string; to: string },
  opts: { limit: number; complete: boolean },
): ErrorGroupDetail {
  // Outcomes emitted in the same millisecond: the later stored one is the newer.
  const newestFirst = [...matches].sort((a, b) => outcomeTime(b) - outcomeTime(a) || (b.stream_seq ?? 0) - (a.stream_seq ?? 0));
  const examples: GroupExample[] = [];
  const targets = new Map<string | null, number>();
  let pattern: string | null = null;
  for (const r of [...newestFirst].reverse()) {
    if (!r.valid) continue;
    const fp = fingerprint(groupLine(r.body));
    pattern ??= fp.pattern;
    addExample(examples, exampleValue(fp));
    targets.set(r.body.target, (targets.get(r.body.target) ?? 0) + 1);
  }
  const ranked = [...targets.entries()].map(([target, count]) => ({ target, count })).sort((a, b) => b.count - a.count);
  const top = ranked.slice(0, TOP_TARGETS);
  const times = newestFirst.map(outcomeTime);
  return {
    ...group,
    pattern,
    count: newestFirst.length,
    first_seen: times.length ? new Date(times[times.length - 1]!).toISOString() : null,
    last_seen: times.length ? new Date(times[0]!).toISOString() : null,
    examples: examples.slice(0, MAX_EXAMPLES),
    targets: top,
    other_targets: ranked.slice(TOP_TARGETS).reduce((n, t) => n + t.count, 0),
    timeline: timelineBuckets(newestFirst, Date.parse(range.from), Date.parse(range.to), TIMELINE_BUCKETS),
    records: newestFirst.slice(0, opts.limit),
    range,
    complete: opts.complete,
  };
}

/** Leaf paths compared at most, and how deep a payload is walked. */
const MAX_PATHS = 300;
const MAX_DEPTH = 8;

/** A payload's leaves as `path → JSON text` (`$.device`, `$.ifs[0].name`); bounded in depth and count. */
function leaves(payload: unknown, out: Map<string, string>, path = "$", depth = 0): void {
  if (out.size >= MAX_PATHS) return;
  if (payload !== null && typeof payload === "object" && depth < MAX_DEPTH) {
    const entries = Array.isArray(payload)
      ? payload.map((v, i) => [`[${i}]`, v] as const)
      : Object.entries(payload).map(([k, v]) => [`.${k}`, v] as const);
    if (entries.length === 0) out.set(path, Array.isArray(payload) ? "[]" : "{}");
    for (const [k, v] of entries) leaves(v, out, `${path}${k}`, depth + 1);
    return;
  }
  out.set(path, payload === undefined ? "(absent)" : JSON.stringify(payload));
}

export interface PayloadDifference {
  path: string;
  /** One per payload, in order: its value's JSON text, or null where that payload has no such path. */
  values: (string | null)[];
}

/** The leaf paths whose values differ between event payloads (all the same: none), in first-seen order. */
export function payloadDifferences(payloads: readonly unknown[]): PayloadDifference[] {
  const flat = payloads.map((p) => {
    const m = new Map<string, string>();
    leaves(p, m);
    return m;
  });
  const paths = [...new Set(flat.flatMap((m) => [...m.keys()]))];
  return paths
    .map((path) => ({ path, values: flat.map((m) => m.get(path) ?? null) }))
    .filter((d) => d.values.some((v) => v !== d.values[0]));
}
