/**
 * Redaction at the server boundary: every payload and header set that is decoded for the browser passes
 * through here first, so views, exports and snapshots only ever see masked values.
 */
import "server-only";
import type { OutcomeRecord } from "../lib/outcomes/outcome";
import {
  compilePatterns,
  DEFAULT_REDACTION,
  redactHeaders,
  redactOutcome,
  redactPayload,
  type RedactionRules,
} from "../lib/security/redaction";
import { parseConfig } from "./config";

export interface CompiledRedaction {
  fields: string[];
  headers: string[];
}

/** The environment's rules, compiled once per module instance: every instance compiles the same rules. */
let fromEnvironment: CompiledRedaction | null = null;

export const compileRedaction = (rules: RedactionRules): CompiledRedaction => ({
  fields: compilePatterns(rules.fields),
  headers: compilePatterns(rules.headers),
});

/**
 * The process's rules, from the environment, parsed once. A configuration that does not parse stops start-up
 * elsewhere; should a route run before that, it masks with the defaults — never less.
 */
export function serverRedaction(): CompiledRedaction {
  if (!fromEnvironment) {
    let rules = DEFAULT_REDACTION;
    try {
      rules = parseConfig(process.env).redaction;
    } catch {
      // keep the defaults
    }
    fromEnvironment = compileRedaction(rules);
  }
  return fromEnvironment;
}

/** A message's payload bytes and headers, masked. */
export function redactMessage<T extends { data: Uint8Array; headers?: Record<string, string[]> }>(
  m: T,
  r: CompiledRedaction = serverRedaction(),
): T & { redacted: number } {
  const p = redactPayload(m.data, r.fields);
  const h = redactHeaders(m.headers, r.headers);
  return { ...m, data: p.bytes, headers: h.headers, redacted: p.count + h.count };
}

/** A parsed outcome, masked (lib/security/redaction.ts redactOutcome): parse once, then mask — never the bytes twice. */
export function redactParsedOutcome(r: OutcomeRecord, c: CompiledRedaction = serverRedaction()): OutcomeRecord {
  return redactOutcome(r, c.fields, c.headers);
}
