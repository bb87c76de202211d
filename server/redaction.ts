/**
 * Redaction at the server boundary: every payload and header set that is decoded for the browser passes
 * through here first, so views, exports and snapshots only ever see masked values.
 */
import "server-only";
import type { OutcomeRecord } from "../lib/outcomes";
import { compilePatterns, DEFAULT_REDACTION, masksAnyName, redactHeaders, redactOutcome, redactPayload, type RedactionRules } from "../lib/redaction";
import { parseConfig } from "./config";

export interface CompiledRedaction {
  fields: string[];
  headers: string[];
}

const KEY = Symbol.for("busdeck.redaction");
const g = globalThis as typeof globalThis & { [KEY]?: CompiledRedaction };

export const compileRedaction = (rules: RedactionRules): CompiledRedaction => ({ fields: compilePatterns(rules.fields), headers: compilePatterns(rules.headers) });

/**
 * The process's rules, from the environment, parsed once. A configuration that does not parse stops start-up
 * elsewhere; should a route run before that, it masks with the defaults — never less.
 */
export function serverRedaction(): CompiledRedaction {
  if (!g[KEY]) {
    let rules = DEFAULT_REDACTION;
    try {
      rules = parseConfig(process.env).redaction;
    } catch {
      // keep the defaults
    }
    g[KEY] = compileRedaction(rules);
  }
  return g[KEY];
}

/** A message's payload bytes and headers, masked. */
export function redactMessage<T extends { data: Uint8Array; headers?: Record<string, string[]> }>(m: T, r: CompiledRedaction = serverRedaction()): T & { redacted: number } {
  const p = redactPayload(m.data, r.fields);
  const h = redactHeaders(m.headers, r.headers);
  return { ...m, data: p.bytes, headers: h.headers, redacted: p.count + h.count };
}

/** A parsed outcome, masked (lib/redaction.ts redactOutcome): parse once, then mask — never the bytes twice. */
export function redactParsedOutcome(r: OutcomeRecord, c: CompiledRedaction = serverRedaction()): OutcomeRecord {
  return redactOutcome(r, c.fields, c.headers);
}

/** What the per-handler summary (lib/outcome-stats.ts, lib/outcome-rollup.ts) and a feed row (toOutcomeRow) read. */
const SUMMARY_FIELDS = ["handler_id", "severity", "kind", "target", "summary", "diagnostic", "emitted_at", "event", "subject"];
const SUMMARY_HEADERS = ["Nats-Msg-Id"];
const summaryMasked = new WeakMap<CompiledRedaction, boolean>();

/**
 * An outcome masked as far as the summary and the feed rows read it, for ingest: when the rules mask none of
 * the names those read (the defaults don't), a valid record comes back as it is — its event payload and other
 * headers NOT masked — instead of walking every payload at 100,000 outcomes/s. Hand the result to nothing but
 * the aggregators and toOutcomeRow: a full record that leaves the server is masked whole (redactParsedOutcome).
 * A malformed record is always masked whole: its row shows its raw text.
 */
export function redactSummaryFields(r: OutcomeRecord, c: CompiledRedaction = serverRedaction()): OutcomeRecord {
  let masks = summaryMasked.get(c);
  if (masks === undefined) summaryMasked.set(c, (masks = masksAnyName(SUMMARY_FIELDS, c.fields) || masksAnyName(SUMMARY_HEADERS, c.headers)));
  return masks || !r.valid ? redactParsedOutcome(r, c) : r;
}
