/**
 * Reflex outcome wire contract (seed 001; docs/contracts.md). One record per handled event,
 * published on `reflex.outcome.<handler_id>` as JSON UTF-8.
 */
import { z } from "zod";

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
} & (
  | { valid: true; body: OutcomeBody }
  | { valid: false; raw: string; error: string }
);

export function handlerIdFromSubject(subject: string, prefix = OUTCOME_SUBJECT_PREFIX): string {
  return subject.startsWith(prefix + ".") ? subject.slice(prefix.length + 1) : subject;
}

/** Parses one outcome payload; never throws — malformed input becomes an invalid record kept as raw text. */
export function parseOutcome(input: {
  id: string;
  subject: string;
  data: Uint8Array;
  received_at: string;
  stream_seq?: number;
  headers?: Record<string, string[]>;
  prefix?: string;
}): OutcomeRecord {
  const base = {
    id: input.id,
    subject: input.subject,
    received_at: input.received_at,
    stream_seq: input.stream_seq,
    headers: input.headers,
    size: input.data.byteLength,
  };
  const text = new TextDecoder("utf-8", { fatal: false }).decode(input.data);
  const fallbackHandler = handlerIdFromSubject(input.subject, input.prefix);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ...base, handler_id: fallbackHandler, valid: false, raw: text, error: `not JSON: ${(err as Error).message}` };
  }
  const parsed = OutcomeBodySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "body";
    return { ...base, handler_id: fallbackHandler, valid: false, raw: text, error: `${where}: ${issue?.message ?? "invalid"}` };
  }
  return { ...base, handler_id: parsed.data.handler_id, valid: true, body: parsed.data };
}

export interface HandlerCounts {
  total: number;
  errored: number;
  malformed: number;
  last_at: string | null;
  last_error_at: string | null;
}

/** Running totals per handler since the dashboard started (the outcome view refines this). */
export interface OutcomeStats {
  stream_available: boolean | null;
  total: number;
  handlers: Record<string, HandlerCounts>;
}

export const emptyOutcomeStats = (): OutcomeStats => ({ stream_available: null, total: 0, handlers: {} });

/** Pure reducer: folds a batch of records into the running totals. */
export function foldOutcomeStats(stats: OutcomeStats, records: OutcomeRecord[]): OutcomeStats {
  const handlers = { ...stats.handlers };
  for (const r of records) {
    const prev = handlers[r.handler_id] ?? { total: 0, errored: 0, malformed: 0, last_at: null, last_error_at: null };
    const errored = r.valid && r.body.kind === "errored";
    handlers[r.handler_id] = {
      total: prev.total + 1,
      errored: prev.errored + (errored ? 1 : 0),
      malformed: prev.malformed + (r.valid ? 0 : 1),
      last_at: r.received_at,
      last_error_at: errored ? r.received_at : prev.last_error_at,
    };
  }
  return { ...stats, total: stats.total + records.length, handlers };
}
