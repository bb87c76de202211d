/**
 * URL state of the Streams views and the query parameters of the message-browser API, as zod schemas.
 * One schema per view, shared by the page (reading its URL) and the route handler (validating a request),
 * with a serializer that writes only non-default values so URLs stay short and round-trip exactly.
 */
import { z } from "zod";
import { STREAM_DETAIL_DEFAULT_WINDOW } from "../time/range";
import { firstValues, toSearchString, type SearchLike } from "../view/search";
import { parseIgnoringBad } from "../view/unknown-param";

function toQuery(values: Record<string, string | number | undefined>, defaults: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === "" || defaults[k] === v) continue;
    q.set(k, String(v));
  }
  return toSearchString(q);
}

// ---------------------------------------------------------------------------------------------------------
// Streams list: /streams?q=&sort=&dir=&show=&own=

export const STREAM_SORTS = ["name", "messages", "bytes", "ingest", "fill", "consumers", "last"] as const;
export type StreamSort = (typeof STREAM_SORTS)[number];

export const StreamsListStateSchema = z.object({
  q: z.string().max(200, "at most 200 characters").default(""),
  sort: z.enum(STREAM_SORTS, `one of ${STREAM_SORTS.join(", ")}`).default("name"),
  dir: z.enum(["asc", "desc"], "asc or desc").default("asc"),
  /** attention: only streams with a limit warning or unhealthy replicas. */
  show: z.enum(["all", "attention"], "all or attention").default("all"),
  /** Show internal: busdeck's own streams and KV/object-store backing streams too (lib/own-resources.ts classifyStream). */
  own: z
    .enum(["0", "1"], "0 or 1")
    .transform((v) => v === "1")
    .default(false),
});
export type StreamsListState = z.infer<typeof StreamsListStateSchema>;
const LIST_DEFAULTS: StreamsListState = { q: "", sort: "name", dir: "asc", show: "all", own: false };

/** The list's URL state plus its bad parameters, each named with its value and why. */
export interface StreamsListPageState extends StreamsListState {
  ignored: string[];
}

/** A bad value is ignored (its default applies) and named: a hand-edited URL still opens the list. */
export function parseStreamsListState(params: SearchLike): StreamsListPageState {
  const { value, ignored } = parseIgnoringBad(StreamsListStateSchema, firstValues(params));
  return { ...value, ignored };
}
export const streamsListStateToSearch = (s: Partial<StreamsListState>) => {
  const { q, sort, dir, show, own } = { ...LIST_DEFAULTS, ...s };
  return toQuery({ q, sort, dir, show, own: own ? "1" : undefined }, LIST_DEFAULTS);
};

// ---------------------------------------------------------------------------------------------------------
// Stream detail: /streams/<name>?top= (its rate chart follows the shared time range, lib/time/range.ts)

/** The windows of busdeck's in-memory rate history (it keeps 15 minutes). */
export const HISTORY_RANGES = { "1m": 60_000, "5m": 300_000, "15m": 900_000 } as const;
export type HistoryRange = keyof typeof HISTORY_RANGES;
export const DEFAULT_RATE_RANGE: HistoryRange = STREAM_DETAIL_DEFAULT_WINDOW;

export const StreamDetailStateSchema = z.object({
  top: z.coerce
    .number()
    .pipe(z.union([z.literal(5), z.literal(10), z.literal(20), z.literal(50)], { error: "top is one of 5, 10, 20, 50" }))
    .default(10),
});
export type StreamDetailState = z.infer<typeof StreamDetailStateSchema>;
const DETAIL_DEFAULTS: StreamDetailState = { top: 10 };
/** The detail page's state from the URL; a bad value falls back to its default and is named in `ignored`. */
export function parseStreamDetailState(params: SearchLike): StreamDetailState & { ignored: string[] } {
  const { value, ignored } = parseIgnoringBad(StreamDetailStateSchema, firstValues(params));
  return { ...value, ignored };
}
export const streamDetailStateToSearch = (s: Partial<StreamDetailState>) => toQuery({ top: s.top ?? DETAIL_DEFAULTS.top }, DETAIL_DEFAULTS);

// ---------------------------------------------------------------------------------------------------------
// Message browser: /streams/<name>/messages?seq=&start_time=&subject=&dir=&size= (and the same on the API)

export const PAGE_SIZES = [10, 25, 50, 100, 200] as const;
export const MAX_SUBJECT_LENGTH = 256;

/** A NATS subject filter: dot-separated non-empty tokens, `*` for one token, `>` only as the last token. */
export function subjectFilterProblem(s: string): string | null {
  if (s.length === 0) return "must not be empty";
  if (s.length > MAX_SUBJECT_LENGTH) return `longer than ${MAX_SUBJECT_LENGTH} characters`;
  if (/\s/.test(s)) return "must not contain whitespace";
  const tokens = s.split(".");
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === "") return "has an empty token (two dots, or a leading/trailing dot)";
    if (t === ">" && i !== tokens.length - 1) return "'>' may only be the last token";
    if (t.length > 1 && (t.includes("*") || t.includes(">"))) return "wildcards must be whole tokens";
  }
  return null;
}

const subjectFilter = z.string().superRefine((s, ctx) => {
  const problem = subjectFilterProblem(s);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const positiveSeq = z
  .string()
  .regex(/^\d{1,16}$/, "must be a positive integer")
  .transform(Number)
  .refine((n) => n >= 1 && Number.isSafeInteger(n), "must be a positive integer");

/** ISO 8601 with a zone, e.g. 2026-11-23T13:05:00Z; normalized to UTC. */
const isoTime = z
  .string()
  .max(40)
  .refine(
    (s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
    "must be an ISO 8601 time with a zone, e.g. 2026-11-23T13:05:00Z",
  )
  .transform((s) => new Date(Date.parse(s)).toISOString());

const pageSize = z
  .string()
  .transform(Number)
  .refine((n) => (PAGE_SIZES as readonly number[]).includes(n), `must be one of ${PAGE_SIZES.join(", ")}`);

export const BrowseQuerySchema = z
  .object({
    seq: positiveSeq.optional(),
    start_time: isoTime.optional(),
    subject: subjectFilter.optional(),
    /** forward: from the position towards newer; backward: from the position towards older. */
    dir: z.enum(["forward", "backward"]).optional(),
    size: pageSize.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.seq !== undefined && v.start_time !== undefined)
      ctx.addIssue({ code: "custom", path: ["start_time"], message: "give either seq or start_time, not both" });
  })
  .transform((v) => ({
    seq: v.seq,
    start_time: v.start_time,
    subject: v.subject,
    // No position means "the newest page"; a position means "from here on".
    dir: v.dir ?? (v.seq !== undefined || v.start_time !== undefined ? "forward" : "backward"),
    size: v.size ?? 50,
  }));
export type BrowseQuery = z.output<typeof BrowseQuerySchema>;

export function browseQueryToSearch(q: Partial<BrowseQuery>): string {
  const positioned = q.seq !== undefined || q.start_time !== undefined;
  return toQuery(
    { seq: q.seq, start_time: q.start_time, subject: q.subject, dir: q.dir, size: q.size },
    { dir: positioned ? "forward" : "backward", size: 50 },
  );
}

// ---------------------------------------------------------------------------------------------------------
// Payload search: /api/streams/<name>/search?q=&mode=&subject=&from_seq=&scan_limit=&max_matches=

export const SCAN_LIMIT_MAX = 1_000_000;

export const SearchQuerySchema = z.object({
  q: z.string().min(1, "must not be empty").max(1_000, "longer than 1000 characters"),
  mode: z.enum(["substring", "predicate"]).default("substring"),
  subject: subjectFilter.optional(),
  from_seq: positiveSeq.optional(),
  scan_limit: z
    .string()
    .regex(/^\d{1,7}$/, "must be a positive integer")
    .transform(Number)
    .refine((n) => n >= 1 && n <= SCAN_LIMIT_MAX, `must be between 1 and ${SCAN_LIMIT_MAX}`)
    .default(10_000),
  max_matches: z
    .string()
    .regex(/^\d{1,4}$/, "must be a positive integer")
    .transform(Number)
    .refine((n) => n >= 1 && n <= 1_000, "must be between 1 and 1000")
    .default(100),
});
export type SearchQuery = z.output<typeof SearchQuerySchema>;

/** A stream name as JetStream allows it: no whitespace, dots, wildcards or path separators. */
export const StreamNameSchema = z
  .string()
  .min(1, "must not be empty")
  .max(255, "longer than 255 characters")
  .regex(/^[^\s.*>/\\]+$/, "must not contain whitespace, '.', '*', '>', '/' or '\\'");

export const SeqParamSchema = positiveSeq;

/** JetStream holds consumer names to the same rules as stream names. */
export const ConsumerNameSchema = StreamNameSchema;

/** The message page's context: the consumer it was reached from (?consumer=), or a named bad value. */
export function parseMessageContext(params: SearchLike): {
  consumer: string | null;
  error: string | null;
} {
  const raw = firstValues(params).consumer;
  if (raw === undefined) return { consumer: null, error: null };
  const r = ConsumerNameSchema.safeParse(raw);
  return r.success ? { consumer: r.data, error: null } : { consumer: null, error: `consumer: ${r.error.issues[0]!.message}` };
}

/** The last payload search run from the browser page, kept in its URL as search= / mode= / scan= / from=. */
export interface SearchUrlState {
  q: string;
  mode: "substring" | "predicate";
  scan_limit: number;
  from_seq: number | null;
}
export const SCAN_LIMIT_CHOICES = [1_000, 10_000, 100_000, 1_000_000] as const;

const SearchUrlSchema = z.object({
  search: z.string().max(1_000, "at most 1000 characters").default(""),
  mode: z.enum(["substring", "predicate"], "substring or predicate").default("substring"),
  scan: z.coerce
    .number()
    .refine((n) => (SCAN_LIMIT_CHOICES as readonly number[]).includes(n), `one of ${SCAN_LIMIT_CHOICES.join(", ")}`)
    .default(10_000),
  from: positiveSeq.nullable().default(null),
  highlight: positiveSeq.nullable().default(null),
});

export interface BrowsePageState {
  query: BrowseQuery;
  /** The bad browse and search parameters, each named with its value and why; the rest still applies. */
  error: string | null;
  search: SearchUrlState;
  /** The message the page was opened for (a message page's "show in browser"): its row is marked. */
  highlight: number | null;
}

/** The browser page's URL: browse position (shared with the API) plus the last search, bad values ignored and named. */
export function parseBrowsePageState(params: SearchLike): BrowsePageState {
  const values = firstValues(params);
  const position = parseIgnoringBad(BrowseQuerySchema, values);
  const { value: s, ignored } = parseIgnoringBad(SearchUrlSchema, values);
  const problems = [...position.ignored, ...ignored];
  return {
    query: position.value,
    error: problems.length ? problems.join("; ") : null,
    search: { q: s.search, mode: s.mode, scan_limit: s.scan, from_seq: s.from },
    highlight: s.highlight,
  };
}

export function browsePageStateToSearch(
  state: Pick<BrowsePageState, "query" | "search"> & Partial<Pick<BrowsePageState, "highlight">>,
): string {
  const q = new URLSearchParams(browseQueryToSearch(state.query).slice(1));
  const s = state.search;
  if (s.q) {
    q.set("search", s.q);
    if (s.mode !== "substring") q.set("mode", s.mode);
    if (s.scan_limit !== 10_000) q.set("scan", String(s.scan_limit));
    if (s.from_seq !== null) q.set("from", String(s.from_seq));
  }
  if (state.highlight != null) q.set("highlight", String(state.highlight));
  return toSearchString(q);
}

// Live tail: /api/streams/<name>/tail?subject=&from_seq=  (from_seq resumes after a pause without a gap)
export const TailQuerySchema = z.object({
  subject: subjectFilter.optional(),
  from_seq: positiveSeq.optional(),
});
export type TailQuery = z.output<typeof TailQuerySchema>;
