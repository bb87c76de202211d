/**
 * The outcome view's filter state, shared by the URL (the view), the query API and the feed. One schema
 * parses URL search params; `outcomeFilterToSearch` writes them back, so a reload shows the same view.
 */
import { z } from "zod";
import { firstValue, toSearchString, type SearchLike } from "../view/search";
import { parseIgnoringBad, quoteParamValue, unknownFilterValue } from "../view/unknown-param";
import { fingerprint, FINGERPRINT_MAX_CHARS } from "./fingerprint";
import {
  groupLine,
  outcomeTime,
  SEVERITIES,
  type OutcomeBody,
  type OutcomeBucket,
  type OutcomeRowBody,
  type OutcomeRecord,
  type OutcomeRow,
  type OutcomeStats,
  type Severity,
} from "./outcome";

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .optional()
    .transform((v) => (v === "" ? undefined : v));

const severityList = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined || raw.trim() === "") return undefined;
    const parts = [
      ...new Set(
        raw
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ];
    const unknown = parts.filter((p) => !(SEVERITIES as readonly string[]).includes(p));
    if (unknown.length > 0) {
      ctx.addIssue({ code: "custom", message: `unknown severity ${unknown.join(", ")}; one of ${SEVERITIES.join(", ")}` });
      return z.NEVER;
    }
    // Canonical order so equal filters give equal URLs.
    return SEVERITIES.filter((s) => parts.includes(s)) as Severity[];
  });

const isoTime = z.iso.datetime({ offset: true, message: "an ISO-8601 time like 2026-11-23T14:05:00Z" }).optional();

export const OutcomeFilterSchema = z
  .object({
    handler: optionalText(200),
    severity: severityList,
    kind: optionalText(100),
    /** Substring of the target, case-insensitive. */
    target: optionalText(200),
    /** The triggering event's subject, exact. */
    event: optionalText(300),
    /** The triggering event's id, exact: every handler's outcome of one event (stored records carry it). */
    event_id: optionalText(300),
    /** An error group's pattern (lib/outcomes/fingerprint.ts), exact: the errored outcomes of that group. */
    exception: optionalText(FINGERPRINT_MAX_CHARS),
    from: isoTime,
    to: isoTime,
  })
  .refine((f) => !f.from || !f.to || Date.parse(f.from) < Date.parse(f.to), { message: "must be after from", path: ["to"] });
export interface OutcomeFilter {
  handler?: string;
  severity?: Severity[];
  kind?: string;
  target?: string;
  event?: string;
  event_id?: string;
  exception?: string;
  from?: string;
  to?: string;
}

export const FILTER_KEYS = ["handler", "severity", "kind", "target", "event", "event_id", "exception", "from", "to"] as const;

/** Reads the filter's keys from URL search params (a Next `searchParams` record or a URLSearchParams). */
function outcomeFilterValues(params: SearchLike): Record<string, string | undefined> {
  return Object.fromEntries(FILTER_KEYS.map((k) => [k, firstValue(params, k)]));
}

export function parseOutcomeFilter(params: SearchLike): { success: true; data: OutcomeFilter } | { success: false; error: z.ZodError } {
  const r = OutcomeFilterSchema.safeParse(outcomeFilterValues(params));
  return r.success ? { success: true, data: stripUndefined(r.data) } : { success: false, error: r.error };
}

const stripUndefined = (f: Record<string, unknown>): OutcomeFilter =>
  Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as OutcomeFilter;

/**
 * The view is lenient: a bad parameter in a pasted URL is ignored and named with its value and why (one line
 * per parameter, for the bad-parameter banner); the rest still applies.
 */
export function parseOutcomeFilterLenient(params: SearchLike): { filter: OutcomeFilter; ignored: string[] } {
  const { value, ignored } = parseIgnoringBad(OutcomeFilterSchema, outcomeFilterValues(params));
  return { filter: stripUndefined(value), ignored };
}

/**
 * Filter values naming nothing the live summary knows (a handler or kind no outcome in it has) are ignored and
 * named, rather than shown as an empty feed. `known` is null until the summary has arrived.
 */
export function ignoreUnknownOutcomeValues(
  filter: OutcomeFilter,
  known: { handlers: readonly string[]; kinds: readonly string[] } | null,
): { filter: OutcomeFilter; ignored: string[] } {
  if (!known) return { filter, ignored: [] };
  const badHandler = unknownFilterValue("handler", filter.handler, known.handlers, "handler named");
  const badKind = unknownFilterValue("kind", filter.kind, known.kinds, "outcome kind");
  return {
    filter: stripUndefined({ ...filter, ...(badHandler && { handler: undefined }), ...(badKind && { kind: undefined }) }),
    ignored: [badHandler, badKind].filter((p): p is string => p !== null),
  };
}

/**
 * The free-text values (target substring, event subject) named when nothing matches: no summary knows them ahead,
 * so they are kept and the empty result says which of them the reader asked for. Null without such values.
 */
export function unmatchedOutcomeValues(f: OutcomeFilter): string | null {
  const named = [
    f.target !== undefined && `target: no outcome's target contains ${quoteParamValue(f.target)}`,
    f.event !== undefined && `event: no outcome was triggered by subject ${quoteParamValue(f.event)}`,
    f.event_id !== undefined && `event_id: no outcome was triggered by event ${quoteParamValue(f.event_id)}`,
    f.exception !== undefined && `exception: no errored outcome falls in the group ${quoteParamValue(f.exception)}`,
  ].filter((p): p is string => typeof p === "string");
  if (named.length === 0) return null;
  const others = !isFilterEmpty({ ...f, target: undefined, event: undefined, event_id: undefined, exception: undefined });
  return `${named.join("; ")}${others ? " with the other filters" : ""} — shown empty`;
}

function outcomeFilterEntries(f: OutcomeFilter): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.handler) out.handler = f.handler;
  if (f.severity?.length) out.severity = f.severity.join(",");
  if (f.kind) out.kind = f.kind;
  if (f.target) out.target = f.target;
  if (f.event) out.event = f.event;
  if (f.event_id) out.event_id = f.event_id;
  if (f.exception) out.exception = f.exception;
  if (f.from) out.from = f.from;
  if (f.to) out.to = f.to;
  return out;
}

/** The filter as a search string (`?a=b`, or "" for no filter), keys in a stable order. */
export function outcomeFilterToSearch(f: OutcomeFilter): string {
  return toSearchString(new URLSearchParams(outcomeFilterEntries(f)));
}

export const isFilterEmpty = (f: OutcomeFilter) => Object.keys(outcomeFilterEntries(f)).length === 0;

/**
 * Malformed records have no severity, kind or target: they match only filters that don't ask for those,
 * so "show me malformed ones of handler X" is just `handler=X`.
 */
export function matchesOutcome(r: OutcomeRow, f: OutcomeFilter, targetNeedle = f.target?.toLowerCase()): boolean {
  if (f.handler && r.handler_id !== f.handler) return false;
  if (f.severity?.length || f.kind || targetNeedle || f.event || f.event_id || f.exception) {
    if (!r.valid) return false;
    if (f.severity?.length && !f.severity.includes(r.body.severity)) return false;
    if (f.kind && r.body.kind !== f.kind) return false;
    if (targetNeedle && !(r.body.target ?? "").toLowerCase().includes(targetNeedle)) return false;
    if (f.event && r.body.event.subject !== f.event) return false;
    // Feed rows do not carry the event id: only stored records (queries) match it.
    if (f.event_id && (r.body.event as { id?: string }).id !== f.event_id) return false;
    if (f.exception && !inErrorGroup(r.body, f.exception)) return false;
  }
  if (f.from || f.to) {
    const t = outcomeTime(r);
    if (f.from && t < Date.parse(f.from)) return false;
    if (f.to && t >= Date.parse(f.to)) return false;
  }
  return true;
}

/** Whether an outcome body (a full record's or a feed row's) belongs to the error group of `pattern`. */
export function inErrorGroup(b: OutcomeRowBody | OutcomeBody, pattern: string): boolean {
  return b.kind === "errored" && fingerprint(groupLine(b)).pattern === pattern;
}

/** Full records (server queries) or the feed's rows: both carry what a filter matches. */
export function filterOutcomes<T extends OutcomeRow>(records: readonly T[], f: OutcomeFilter): T[] {
  const needle = f.target?.toLowerCase();
  return records.filter((r) => matchesOutcome(r, f, needle));
}

/**
 * Query API parameters: the filter plus a page size, and whether the range's timeline is wanted. Without it
 * (`timeline=false`, the live view, which charts from the live summary) only the newest `limit` matches are
 * read rather than the whole range, so a refresh reads a few hundred stored messages.
 */
export const OutcomeQuerySchema = z.object({
  limit: z.coerce.number().int("an integer").min(1).max(2000).default(200),
  timeline: z
    .enum(["true", "false"], "true or false")
    .default("true")
    .transform((v) => v === "true"),
});

/**
 * Sequence windows for reading a range [lo, hi] newest first until enough matches are found: the newest `first`
 * sequences, then windows four times larger going back, never more than `cap` sequences in all.
 */
export function newestFirstWindows(lo: number, hi: number, first: number, cap: number): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  let to = hi;
  let size = Math.max(1, first);
  let budget = cap;
  while (to >= lo && budget > 0) {
    const from = Math.max(lo, to - Math.min(size, budget) + 1);
    out.push({ from, to });
    budget -= to - from + 1;
    to = from - 1;
    size *= 4;
  }
  return out;
}

/** Filters for the drill-down's "same handler / same target / same event subject around that time" links. */
export function relatedFilters(
  r: OutcomeRecord,
  halfWidthMs = 5 * 60_000,
): { handler: OutcomeFilter; target: OutcomeFilter | null; event: OutcomeFilter | null } {
  const t = outcomeTime(r);
  const window = { from: new Date(t - halfWidthMs).toISOString(), to: new Date(t + halfWidthMs).toISOString() };
  return {
    handler: { handler: r.handler_id, ...window },
    target: r.valid && r.body.target ? { target: r.body.target, ...window } : null,
    event: r.valid ? { event: r.body.event.subject, ...window } : null,
  };
}

/** React Query keys for outcome queries (hierarchical, so a filter change is a new key). */
export const outcomeQueryKeys = {
  all: () => ["outcomes"] as const,
  query: (params: Record<string, string>) => ["outcomes", "query", params] as const,
  detail: (id: string) => ["outcomes", "detail", id] as const,
  group: (handler: string, id: string, search: string) => ["outcomes", "group", handler, id, search] as const,
  handler: (handler: string, search: string) => ["outcomes", "handler", handler, search] as const,
};

/** What /api/outcomes answers: one wire type for the route and the view. */
export interface OutcomeQueryResult {
  source: "stream" | "live";
  records: OutcomeRecord[];
  /** Matching records in the scanned part of the range (records is at most `limit` of them, newest first). */
  matched: number;
  /** The range was larger than one scan: only its newest part was read. */
  truncated: boolean;
  scanned: { from_seq: number; to_seq: number } | null;
  timeline: OutcomeBucket[];
  range: { from: string; to: string };
  /** For a picked range: its header counts, handler table and error groups (lib/outcomes/range-summary.ts). */
  summary?: OutcomeRangeSummary;
}

export interface OutcomeRangeSummary {
  stats: OutcomeStats;
  /** False when a raw part of the range was larger than one scan and only its newest part was read. */
  complete: boolean;
}
