/**
 * Redaction of secrets in message payloads and headers before they leave the server, so every view, export and
 * snapshot downstream is already masked. Names match by case-insensitive substring after dropping everything
 * but letters and digits: `api_key` catches `apiKey`, `X-Api-Key` and `API-KEY`.
 *
 * JSON payloads are masked field by field at any depth. Other UTF-8 text is masked best-effort where it looks
 * like `key=value`, `key: value` or `"key": "value"`; a secret in free prose, in binary (protobuf, msgpack) or
 * split across lines is NOT found. Pure: rules in, masked copies out.
 */

import type { OutcomeRecord } from "./outcomes";

export const REDACTED = "••••• (redacted)";

export const DEFAULT_REDACT_PATTERNS = ["token", "password", "passwd", "secret", "authorization", "api_key", "apikey", "cookie", "credential"] as const;

export interface RedactionRules {
  /** Payload field names (JSON keys, `key=` in text). */
  fields: readonly string[];
  /** Message header names. */
  headers: readonly string[];
}

export const DEFAULT_REDACTION: RedactionRules = { fields: DEFAULT_REDACT_PATTERNS, headers: DEFAULT_REDACT_PATTERNS };

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Patterns as they are compared: squashed, deduplicated, empties dropped. */
export function compilePatterns(patterns: readonly string[]): string[] {
  return [...new Set(patterns.map(squash).filter(Boolean))];
}

/** Verdicts per rule set and name: payload keys repeat endlessly, so each is squashed and matched once. */
const verdicts = new WeakMap<readonly string[], Map<string, boolean>>();
const MAX_CACHED_NAMES = 10_000;

/** The cached verdict function of one rule set; fetch it once per record, not per key (ingest runs it 100k×/s). */
function sensitivity(compiled: readonly string[]): (name: string) => boolean {
  let cache = verdicts.get(compiled);
  if (!cache) verdicts.set(compiled, (cache = new Map()));
  const c = cache;
  return (name) => {
    let verdict = c.get(name);
    if (verdict === undefined) {
      const n = squash(name);
      verdict = compiled.some((p) => n.includes(p));
      // Keys can come from anyone: bound the cache rather than let hostile payloads grow it.
      if (c.size >= MAX_CACHED_NAMES) c.clear();
      c.set(name, verdict);
    }
    return verdict;
  };
}

export function isSensitiveName(name: string, compiled: readonly string[]): boolean {
  return compiled.length > 0 && sensitivity(compiled)(name);
}

/** Whether the rules mask any of `names`: a reader of only those fields can skip the walk when none is. */
export function masksAnyName(names: readonly string[], compiled: readonly string[]): boolean {
  return compiled.length > 0 && names.some(sensitivity(compiled));
}

/** The rules from configuration: the defaults extended by the configured lists, or the lists alone. */
export function buildRedactionRules(opts: { fields: readonly string[]; headers: readonly string[]; defaults: boolean }): RedactionRules {
  const base = opts.defaults ? DEFAULT_REDACT_PATTERNS : [];
  return { fields: [...base, ...opts.fields], headers: [...base, ...opts.headers] };
}

/**
 * A JSON value with every sensitive key's value (whatever its type) replaced. Copy-on-write: the input is
 * never changed, and comes back as it is (same reference) when nothing was masked — the common case.
 */
export function redactJson(value: unknown, compiled: readonly string[]): { value: unknown; count: number } {
  if (compiled.length === 0) return { value, count: 0 };
  const counter = { count: 0 };
  const masked = maskValue(value, sensitivity(compiled), counter);
  return { value: masked, count: counter.count };
}

/** The walk behind redactJson, allocation-free until something is masked (it runs on every ingested outcome). */
function maskValue(v: unknown, sensitive: (name: string) => boolean, counter: { count: number }): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const child: unknown = v[i];
      // Only objects can hold keys: primitives are not walked (no call per string or number).
      if (child === null || typeof child !== "object") continue;
      const w = maskValue(child, sensitive, counter);
      if (w !== child) (out ??= v.slice())[i] = w;
    }
    return out ?? v;
  }
  const o = v as Record<string, unknown>;
  let out: Record<string, unknown> | null = null;
  for (const k of Object.keys(o)) {
    if (sensitive(k)) {
      (out ??= { ...o })[k] = REDACTED;
      counter.count++;
      continue;
    }
    const child = o[k];
    if (child === null || typeof child !== "object") continue;
    const w = maskValue(child, sensitive, counter);
    if (w !== child) (out ??= { ...o })[k] = w;
  }
  return out ?? o;
}

// key, optional closing quote, separator, then a quoted or bare value (bare stops at whitespace , ; & }).
const KEY_VALUE = /(["']?)([A-Za-z0-9_.-]+)\1(\s*[:=]\s*)("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s,;&}\]]+)/g;

/** Best-effort masking of `key=value` / `key: value` / `"key": "value"` pairs in text. */
export function redactText(text: string, compiled: readonly string[]): { text: string; count: number } {
  let count = 0;
  const out = text.replace(KEY_VALUE, (whole, q: string, key: string, sep: string, value: string) => {
    if (!isSensitiveName(key, compiled)) return whole;
    count++;
    const quote = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : "";
    return `${q}${key}${q}${sep}${quote}${REDACTED}${quote}`;
  });
  return { text: out, count };
}

/** Headers with sensitive names' values masked; the same object back when none matched. */
export function redactHeaders(headers: Record<string, string[]> | undefined, compiled: readonly string[]): { headers: Record<string, string[]> | undefined; count: number } {
  if (!headers || compiled.length === 0) return { headers, count: 0 };
  const sensitive = sensitivity(compiled);
  let count = 0;
  let out: Record<string, string[]> | null = null;
  for (const k of Object.keys(headers)) {
    if (!sensitive(k)) continue;
    (out ??= { ...headers })[k] = headers[k]!.map(() => REDACTED);
    count++;
  }
  return { headers: out ?? headers, count };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/**
 * Payload bytes with secrets masked. JSON is re-serialized compactly when (and only when) something was masked,
 * so an untouched payload keeps its exact bytes. Bytes that are not UTF-8 are returned as they are.
 */
export function redactPayload(bytes: Uint8Array, compiled: readonly string[]): { bytes: Uint8Array; count: number } {
  if (compiled.length === 0 || bytes.length === 0) return { bytes, count: 0 };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { bytes, count: 0 };
  }
  // Cheap pre-check: most payloads name no sensitive field at all.
  const squashed = squash(text);
  if (!compiled.some((p) => squashed.includes(p))) return { bytes, count: 0 };
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      const r = redactJson(JSON.parse(text), compiled);
      if (r.count > 0) return { bytes: encoder.encode(JSON.stringify(r.value)), count: r.count };
      // A sensitive word in a value only ("token expired"): nothing to mask in JSON.
      return { bytes, count: 0 };
    } catch {
      // not JSON after all: fall through to the text patterns
    }
  }
  const r = redactText(text, compiled);
  return r.count > 0 ? { bytes: encoder.encode(r.text), count: r.count } : { bytes, count: 0 };
}

/**
 * An outcome with secrets masked, from the record already parsed — the same masking redactPayload gives its
 * bytes (JSON keys at any depth; key=value pairs in a raw, non-JSON body), without decoding and scanning every
 * payload a second time on the ingest path. Returns the record itself when nothing was masked.
 */
export function redactOutcome(r: OutcomeRecord, fields: readonly string[], headerNames: readonly string[]): OutcomeRecord {
  const h = redactHeaders(r.headers, headerNames);
  if (r.valid) {
    const b = redactJson(r.body, fields);
    if (b.count === 0 && h.count === 0) return r;
    return { ...r, headers: h.headers, body: b.value as typeof r.body };
  }
  const raw = fields.length > 0 ? redactText(r.raw, fields) : { text: r.raw, count: 0 };
  if (raw.count === 0 && h.count === 0) return r;
  return { ...r, headers: h.headers, raw: raw.text };
}

/** What the per-handler summary (lib/outcome-stats.ts, lib/outcome-rollup.ts) and a feed row (toOutcomeRow) read. */
const SUMMARY_FIELDS = ["handler_id", "severity", "kind", "target", "summary", "diagnostic", "emitted_at", "event", "subject"];
const SUMMARY_HEADERS = ["Nats-Msg-Id"];

/**
 * Masks an outcome as far as the summary and the feed rows read it, for ingest: when the rules mask none of
 * the names those read (the defaults don't), a valid record comes back as it is — its event payload and other
 * headers NOT masked — instead of walking every payload at 100,000 outcomes/s. Hand the result to nothing but
 * the aggregators and toOutcomeRow: a full record that leaves the server is masked whole (redactOutcome).
 * A malformed record is always masked whole: its row shows its raw text.
 */
export function summaryRedactor(fields: readonly string[], headerNames: readonly string[]): (r: OutcomeRecord) => OutcomeRecord {
  const masks = masksAnyName(SUMMARY_FIELDS, fields) || masksAnyName(SUMMARY_HEADERS, headerNames);
  return (r) => (masks || !r.valid ? redactOutcome(r, fields, headerNames) : r);
}
