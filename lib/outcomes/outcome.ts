/**
 * Reflex outcome wire contract (docs/contracts.md, "Reflex outcomes"). One record per handled event,
 * published on `reflex.outcome.<handler_id>` as JSON UTF-8.
 */
import { z } from "zod";
import type { LatencyJump, LatencyQuantiles } from "./latency";
import type { Silence } from "./silence";

export const OUTCOME_SUBJECT_PREFIX = "reflex.outcome";
export const OUTCOME_STREAM = "REFLEX_OUTCOMES";
export const SEVERITIES = ["info", "warn", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const OutcomeEventSchema = z.object({
  subject: z.string(),
  id: z.string().optional(),
  payload: z.unknown().optional(),
  received_at: z.string().optional(),
});

export const OutcomeBodySchema = z.object({
  handler_id: z.string().min(1),
  severity: z.enum(SEVERITIES),
  /** Open set: `logged` and `errored` at least; unknown kinds are shown as they are. */
  kind: z.string().min(1),
  target: z.string().nullable(),
  summary: z.string().optional(),
  diagnostic: z.string().optional(),
  event: OutcomeEventSchema,
  emitted_at: z.iso.datetime({ offset: true }),
  duration_ms: z.number().nonnegative().optional(),
});
export type OutcomeBody = z.infer<typeof OutcomeBodySchema>;

/** What the dashboard keeps per outcome message: parsed when valid, raw text with the reason when not. */
export type OutcomeRecord = {
  /** Stable id: stream sequence when read from the stream, else a server-assigned id. */
  id: string;
  subject: string;
  /** handler id from the body when valid, else from the subject's last token. */
  handler_id: string;
  received_at: string;
  stream_seq?: number;
  headers?: Record<string, string[]>;
  size: number;
  /** Long fields were cut to a display budget (boundOutcome); the stored message has all of it. */
  truncated?: true;
} & ({ valid: true; body: OutcomeBody } | { valid: false; raw: string; error: string });

export function handlerIdFromSubject(subject: string, prefix = OUTCOME_SUBJECT_PREFIX): string {
  return subject.startsWith(prefix + ".") ? subject.slice(prefix.length + 1) : subject;
}

// One decoder per process: a fresh TextDecoder per message is measurable at 100k msgs/s.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const lenientUtf8 = new TextDecoder("utf-8", { fatal: false });

/** One outcome message as parseOutcome reads it. */
export type OutcomeInput = {
  id: string;
  subject: string;
  data: Uint8Array;
  received_at: string;
  stream_seq?: number;
  headers?: Record<string, string[]>;
  prefix?: string;
};

/**
 * Parses one outcome payload; never throws — malformed input (invalid UTF-8, not JSON, schema violation)
 * becomes an invalid record kept as raw text with the reason, attributed to the subject's handler.
 */
export function parseOutcome(input: OutcomeInput): OutcomeRecord {
  let text: string;
  try {
    text = strictUtf8.decode(input.data);
  } catch {
    // Shown with replacement characters so an operator can still read what was sent.
    return invalidOutcome(input, lenientUtf8.decode(input.data), "not UTF-8");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return invalidOutcome(input, text, `not JSON: ${(err as Error).message}`);
  }
  const fast = fastValidBody(json);
  if (fast) return validOutcome(input, fast);
  const parsed = OutcomeBodySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "body";
    return invalidOutcome(input, text, `${where}: ${issue?.message ?? "invalid"}`);
  }
  return validOutcome(input, parsed.data);
}

// Built as one literal each (no shared base spread): these run once per ingested message.
const validOutcome = (input: OutcomeInput, body: OutcomeBody): OutcomeRecord => ({
  id: input.id,
  subject: input.subject,
  handler_id: body.handler_id,
  received_at: input.received_at,
  stream_seq: input.stream_seq,
  headers: input.headers,
  size: input.data.byteLength,
  valid: true,
  body,
});

const invalidOutcome = (input: OutcomeInput, raw: string, error: string): OutcomeRecord => ({
  id: input.id,
  subject: input.subject,
  handler_id: handlerIdFromSubject(input.subject, input.prefix),
  received_at: input.received_at,
  stream_seq: input.stream_seq,
  headers: input.headers,
  size: input.data.byteLength,
  valid: false,
  raw,
  error,
});

const SEVERITY_SET: ReadonlySet<unknown> = new Set(SEVERITIES);
/** A strict subset of what `z.iso.datetime({ offset: true })` accepts; days 29–31 are left to the schema (leap years). */
const ISO_STRICT =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
const optString = (v: unknown) => v === undefined || typeof v === "string";
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The common case without zod: every check here is at least as strict as the schema's, so a body it accepts
 * the schema accepts too; anything it doesn't is decided (and explained) by the schema. Cheaper at ingest
 * rates. Unlike the schema it keeps unknown keys, which nothing reads.
 */
function fastValidBody(j: unknown): OutcomeBody | null {
  if (!isPlainObject(j)) return null;
  const e = j.event;
  const ok =
    typeof j.handler_id === "string" &&
    j.handler_id.length > 0 &&
    SEVERITY_SET.has(j.severity) &&
    typeof j.kind === "string" &&
    j.kind.length > 0 &&
    (j.target === null || typeof j.target === "string") &&
    optString(j.summary) &&
    optString(j.diagnostic) &&
    isPlainObject(e) &&
    typeof e.subject === "string" &&
    optString(e.id) &&
    optString(e.received_at) &&
    typeof j.emitted_at === "string" &&
    ISO_STRICT.test(j.emitted_at) &&
    (j.duration_ms === undefined || (typeof j.duration_ms === "number" && j.duration_ms >= 0));
  return ok ? (j as unknown as OutcomeBody) : null;
}

/** What one outcome may weigh in a feed or list (SSE, query results, exports), and in its drill-down. */
export const FEED_OUTCOME_CHARS = 16_384;
export const DETAIL_OUTCOME_CHARS = 1_048_576;

/**
 * A long string's head and tail with the cut stated in between — not just the head: a traceback's exception,
 * which on-call groups by, is its last line.
 */
export function cutMiddle(s: string, max: number): string {
  if (s.length <= max) return s;
  const keep = Math.max(0, max - 64);
  const head = Math.ceil(keep / 2);
  const tail = keep - head;
  return `${s.slice(0, head)}\n… [${s.length - keep} characters cut by busdeck] …\n${tail > 0 ? s.slice(-tail) : ""}`;
}

/** An event payload over the budget becomes the start of its JSON text, marked as cut. */
function boundPayload(payload: unknown, max: number): unknown {
  if (payload === undefined) return payload;
  const text = typeof payload === "string" ? payload : JSON.stringify(payload);
  if (text === undefined || text.length <= max) return payload;
  return `${text.slice(0, max)}… [${text.length - max} characters cut by busdeck]`;
}

/**
 * An outcome cut to a display budget: one 8 MB record must not weigh 8 MB in every browser's feed. Small
 * records (nearly all) come back as they are; counting and grouping use the full record before this.
 */
export function boundOutcome(r: OutcomeRecord, max: number): OutcomeRecord {
  if (r.size <= max) return r;
  if (!r.valid) return { ...r, raw: cutMiddle(r.raw, max), truncated: true };
  const b = r.body;
  const small = Math.min(4_096, max);
  const body: OutcomeBody = {
    ...b,
    handler_id: cutMiddle(b.handler_id, small),
    kind: cutMiddle(b.kind, small),
    target: b.target === null ? null : cutMiddle(b.target, small),
    ...(b.summary !== undefined ? { summary: cutMiddle(b.summary, small) } : {}),
    ...(b.diagnostic !== undefined ? { diagnostic: cutMiddle(b.diagnostic, Math.floor(max / 2)) } : {}),
    event: { ...b.event, subject: cutMiddle(b.event.subject, small), payload: boundPayload(b.event.payload, Math.floor(max / 4)) },
  };
  return { ...r, handler_id: cutMiddle(r.handler_id, small), body, truncated: true };
}

/** The start of a malformed outcome's raw text the feed shows (its drill-down shows all of it). */
export const FEED_RAW_CHARS = 300;

/** What a feed row reads from a valid outcome's body: its columns and the filters' fields. */
export type OutcomeRowBody = Pick<OutcomeBody, "handler_id" | "severity" | "kind" | "target" | "summary" | "emitted_at"> & {
  event: Pick<OutcomeBody["event"], "subject">;
  /** An errored outcome's exception line (exceptionLine of its diagnostic): what its feed row shows. */
  exception?: string;
};

/**
 * One outcome as the live feed carries it (the `outcome_rows` topic): the feed table's columns, what the
 * filters match and what tells a live row from its stored copy — not the diagnostic, the event payload or the
 * headers, the bulk of a record and shown only in the drill-down, which fetches the full record by id. Every OutcomeRecord is structurally one too (filters take either).
 */
export type OutcomeRow = {
  id: string;
  handler_id: string;
  received_at: string;
  stream_seq?: number;
  /** The message's Nats-Msg-Id: a record received live-only and its stored copy are the same message. */
  msg_id?: string;
} & ({ valid: true; body: OutcomeRowBody } | { valid: false; raw: string; error: string });

/**
 * A record's feed row; `r` should already be bounded (boundOutcome), as every field but the raw text is kept whole.
 * Built as literals with optional fields assigned after (no spreads): it runs once per ingested outcome, and
 * spreading conditional objects made it cost as much as parsing the outcome.
 */
export function toOutcomeRow(r: OutcomeRecord): OutcomeRow {
  const msgId = r.headers?.["Nats-Msg-Id"]?.[0];
  const row = { id: r.id, handler_id: r.handler_id, received_at: r.received_at } as OutcomeRow;
  if (r.stream_seq !== undefined) row.stream_seq = r.stream_seq;
  if (msgId !== undefined) row.msg_id = msgId;
  if (!r.valid) return Object.assign(row, { valid: false as const, raw: r.raw.slice(0, FEED_RAW_CHARS), error: r.error });
  const b = r.body;
  const body: OutcomeRowBody = {
    handler_id: b.handler_id,
    severity: b.severity,
    kind: b.kind,
    target: b.target,
    emitted_at: b.emitted_at,
    event: { subject: b.event.subject },
  };
  if (b.summary !== undefined) body.summary = b.summary;
  if (b.kind === "errored") {
    const exception = exceptionLine(b.diagnostic);
    if (exception !== null) body.exception = exception;
  }
  return Object.assign(row, { valid: true as const, body });
}

/** What a feed row shows in its last column: an errored outcome's exception (else its summary), a summary. */
export function rowText(b: OutcomeRowBody): string {
  return (b.kind === "errored" ? b.exception : undefined) ?? b.summary ?? "";
}

export const isErrored = (r: OutcomeRow): boolean => r.valid && r.body.kind === "errored";

/** The time an outcome is placed at on timelines: when the handler emitted it, else when we received it. */
export function outcomeTime(r: OutcomeRow): number {
  if (r.valid) {
    const t = Date.parse(r.body.emitted_at);
    if (!Number.isNaN(t)) return t;
  }
  return Date.parse(r.received_at);
}

const TRACEBACK_NOISE =
  /^(Traceback \(most recent call last\):|During handling of the above exception|The above exception was the direct cause|\.\.\. \[traceback truncated\])/;
/** `KeyError: 'peer'`, `json.decoder.JSONDecodeError: Expecting value`, a bare `StopIteration`. */
const EXCEPTION_LINE = /^[A-Za-z_][\w.]*(:\s|$)/;

/**
 * The line of a diagnostic that names the exception — what on-call groups by. In a Python traceback that is
 * the last unindented `Type: message` line (the final exception of a chain; frames are indented, and the
 * truncation marker only ever cuts the head). A diagnostic that is not a traceback: its first non-empty line.
 */
export function exceptionLine(diagnostic: string | undefined | null): string | null {
  if (!diagnostic) return null;
  const lines = diagnostic.split("\n");
  if (lines.some((l) => l.startsWith("Traceback (most recent call last)") || l.startsWith("  File "))) {
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i]!.trimEnd();
      if (line === "" || /^\s/.test(line) || TRACEBACK_NOISE.test(line)) continue;
      if (EXCEPTION_LINE.test(line)) return line;
    }
  }
  const first = lines.find((l) => l.trim() !== "" && !TRACEBACK_NOISE.test(l.trim()));
  return first?.trim() ?? null;
}

/**
 * The line an errored outcome is grouped by: its diagnostic's exception line, else its summary. Takes a full
 * body (with the diagnostic) or a feed row's (with the exception line already read), so both group alike.
 */
export function groupLine(b: Pick<OutcomeBody, "summary"> & { diagnostic?: string; exception?: string }): string {
  const exception = "diagnostic" in b ? exceptionLine(b.diagnostic) : b.exception;
  return exception ?? b.summary ?? "(no diagnostic)";
}

export type SeverityCounts = Record<Severity, number>;
export const emptySeverityCounts = (): SeverityCounts => ({ info: 0, warn: 0, high: 0, critical: 0 });

export interface HandlerCounts {
  total: number;
  errored: number;
  malformed: number;
  last_at: string | null;
  last_error_at: string | null;
}

/** One point of a per-handler sparkline or of the timeline. `t` is the bucket start (epoch ms). */
export interface OutcomeBucket {
  t: number;
  total: number;
  errored: number;
  malformed: number;
  severity: SeverityCounts;
  kinds: Record<string, number>;
}

export interface HandlerSummary extends HandlerCounts {
  handler_id: string;
  severity: SeverityCounts;
  kinds: Record<string, number>;
  /** Outcomes per second over the last minute. */
  rate_per_s: number;
  /** errored / (valid outcomes) over the sparkline window (15 min); null when nothing arrived. */
  errored_ratio: number | null;
  recent_errored_ratio: number | null;
  baseline_errored_ratio: number | null;
  /** The errored ratio of the last few minutes jumped against the minutes before. */
  flagged: boolean;
  sparkline: OutcomeBucket[];
  /** p50/p95/p99 of `duration_ms` over everything summarised (the range); null when no outcome carried one. */
  latency: LatencyQuantiles | null;
  /** The last minutes' p95 grew past the trailing hour's (lib/outcomes/latency.ts latencyJumped); null when not. */
  latency_jump: LatencyJump | null;
  /** Per minute of the last hour that has durations. */
  latency_series: LatencyPoint[];
  /** Produced steadily, then nothing for too long (lib/outcomes/silence.ts); null when not. */
  silent: Silence | null;
}

export interface LatencyPoint extends LatencyQuantiles {
  t: number;
}

export interface ErrorGroup {
  key: string;
  /** The pattern's id (lib/outcomes/fingerprint.ts patternId): the group page's address with the handler. */
  id: string;
  handler_id: string;
  /** The exception line with its variable parts as placeholders, e.g. `KeyError: <str>`: what the group is. */
  exception: string;
  /** The newest exception line as raised, e.g. `KeyError: 'peer-72636'`. */
  sample: string;
  /** A handful of the variable parts seen, each with its count (the first ones seen). */
  examples: { value: string; count: number }[];
  count: number;
  first_seen: string;
  last_seen: string;
  /** The newest outcome of the group, for a one-click drill-down. */
  last_id: string;
}

export type HistoryStatus =
  | { mode: "pending" }
  | { mode: "live_only"; reason: string }
  | {
      mode: "stream";
      stream: string;
      loading: boolean;
      loaded_from: string;
      /** Outcomes replayed one by one from the stream. */
      loaded_count: number;
      /** Outcomes folded from stored per-minute rollups instead (lib/outcomes/rollup.ts). */
      rolled_up: number;
      load_ms: number | null;
    };

/** The aggregations the outcome view opens with; replaced whole on every ingest flush. */
export interface OutcomeStats {
  stream_available: boolean | null;
  history: HistoryStatus;
  total: number;
  malformed: number;
  handlers: Record<string, HandlerSummary>;
  /** Worst first: most recent, then largest. */
  groups: ErrorGroup[];
  /** Per-minute severity/kind buckets over the last hour. */
  timeline: OutcomeBucket[];
  bucket_ms: number;
  computed_at: string | null;
}

export const emptyOutcomeStats = (): OutcomeStats => ({
  stream_available: null,
  history: { mode: "pending" },
  total: 0,
  malformed: 0,
  handlers: {},
  groups: [],
  timeline: [],
  bucket_ms: 60_000,
  computed_at: null,
});
