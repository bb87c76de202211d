/**
 * Redaction of secrets in message payloads and headers before they leave the server, so every view, export and
 * snapshot downstream is already masked. Pure: rules in, masked copies out.
 *
 * By name. A name is compared case-insensitively with everything but letters and digits dropped. A pattern of
 * more than four characters matches anywhere in the name (`api_key` catches `apiKey`, `X-Api-Key`, `API-KEY`);
 * one of four or fewer (`pass`, `auth`, `pwd`, `jwt`, `dsn`) only matches the whole name or one of its words,
 * split at separators and case changes (`db_pass`, `X-Auth-Token`, `pwdHash`, but not `passenger`, `author`).
 * In JSON, every string under a matching key is masked, at any depth below it; numbers, booleans and null are
 * kept, and so are the keys of an object under it (an LLM's `tokens: {prompt: 812}` is a count, not a
 * credential). Header values under a matching name are masked whole.
 *
 * By value shape, in every string (JSON string values at any depth, headers, text payloads, tracebacks):
 * `Bearer|Basic <credential>`, the password of URL userinfo (`://user:pw@`), JWTs, PEM private-key bodies,
 * and `key=value` / `key: value` / `"key": "value"` pairs with a matching key (query parameters included).
 * A secret in free prose, URL-encoded, or split across lines is NOT found.
 *
 * Every pattern is linear-time. Text is scanned in windows of whole lines of at most 1 MiB; a single line
 * longer than that is not scanned but masked whole when it holds anything a pattern could match. Bytes that
 * are not valid UTF-8 are decoded leniently (U+FFFD) and masked like text; when anything was masked, the
 * masked text, re-encoded, replaces the bytes.
 */

import { stringifyJson } from "../wire/deep-json";
import type { OutcomeRecord } from "../outcomes/outcome";

export const REDACTED = "••••• (redacted)";

export const DEFAULT_REDACT_PATTERNS = [
  "token",
  "password",
  "passwd",
  "pwd",
  "pass",
  "secret",
  "auth",
  "authorization",
  "api_key",
  "apikey",
  "cookie",
  "credential",
  "session",
  "jwt",
  "private_key",
  "signature",
  "dsn",
  "database_url",
  "connection_string",
  "community",
] as const;

export interface RedactionRules {
  /** Payload field names (JSON keys, `key=` in text). */
  fields: readonly string[];
  /** Message header names. */
  headers: readonly string[];
}

export const DEFAULT_REDACTION: RedactionRules = { fields: DEFAULT_REDACT_PATTERNS, headers: DEFAULT_REDACT_PATTERNS };

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Patterns this short match a whole word of a name, not any substring: `pass` is not `passenger`. */
const WORD_PATTERN_MAX = 4;

/** A name's words: split at anything but letters and digits, and where a lower-case letter or digit meets a capital. */
const nameWords = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/);

function matchesName(name: string, compiled: readonly string[]): boolean {
  const squashed = squash(name);
  let words: Set<string> | null = null;
  for (const p of compiled) {
    if (p.length > WORD_PATTERN_MAX) {
      if (squashed.includes(p)) return true;
    } else if (squashed === p || (words ??= new Set(nameWords(name))).has(p)) {
      return true;
    }
  }
  return false;
}

/** Patterns as they are compared: squashed, deduplicated, empties dropped. */
export function compilePatterns(patterns: readonly string[]): string[] {
  return [...new Set(patterns.map(squash).filter(Boolean))];
}

/** Verdicts per rule set and name: payload keys repeat endlessly, so each is squashed and matched once. */
const verdicts = new WeakMap<readonly string[], Map<string, boolean>>();
const MAX_CACHED_NAMES = 10_000;
const MAX_CACHED_NAME_LENGTH = 256;

type Sensitivity = (name: string) => boolean;

/** The cached verdict function of one rule set; fetch it once per record, not per key (ingest runs it 100k×/s). */
function sensitivity(compiled: readonly string[]): Sensitivity {
  let cache = verdicts.get(compiled);
  if (!cache) verdicts.set(compiled, (cache = new Map()));
  const c = cache;
  return (name) => {
    // A long "name" is a run of text before a separator, not a field name: judged, never kept.
    if (name.length > MAX_CACHED_NAME_LENGTH) return matchesName(name, compiled);
    let verdict = c.get(name);
    if (verdict === undefined) {
      verdict = matchesName(name, compiled);
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

// ---- Text: value shapes and key=value pairs ------------------------------------------------------------

/** A line longer than this is not run through the patterns: masked whole when it holds a trigger. */
export const MAX_SCANNED_LINE = 1 << 20;

/** Without one of these, no pattern can match: most strings skip the scan. */
const TRIGGER = /[=:]|bearer|basic |eyJ|-----BEGIN/i;

// The value at a key: quoted, or bare up to whitespace , ; & } ] or a quote; an auth scheme is part of it.
const KEY_VALUE = /(?:(?:Bearer|Basic|Token|Digest)[ \t]+)?("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s,;&}\]"']+)/iy;
const AUTH_SCHEME = /\b(Bearer|Basic)([ \t]+)([A-Za-z0-9._~+/-]+=*)/gi;
const JWT_AT = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/y;
const AUTH_HINT = /bearer|basic/i;
const URL_PASSWORD = /(:\/\/[^\s/?#@:]*:)([^\s/?#@]+)@/g;
const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/y;

/** `Basic realm` is prose; a base64 credential has a digit, `+ / =` or a capital past its first character. */
const looksLikeBase64Credential = (s: string) => s.length >= 8 && /[0-9+/=]|.[A-Z]/.test(s);

/** PEM private-key bodies masked between their BEGIN and END lines; an unterminated one to the end of the text. */
function maskPemBlocks(text: string, counter: { count: number }): string {
  let at = text.indexOf("-----BEGIN ");
  if (at < 0) return text;
  const parts: string[] = [];
  let from = 0;
  for (; at >= 0; at = text.indexOf("-----BEGIN ", at + 1)) {
    if (at < from) continue;
    PEM_BEGIN.lastIndex = at;
    if (!PEM_BEGIN.test(text)) continue;
    const bodyStart = PEM_BEGIN.lastIndex;
    const end = text.indexOf("-----END ", bodyStart);
    parts.push(text.slice(from, bodyStart), `\n${REDACTED}\n`);
    counter.count++;
    from = end < 0 ? text.length : end;
    if (end < 0) break;
  }
  parts.push(text.slice(from));
  return parts.join("");
}

const isKeyChar = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
const isBlank = (c: number) => c === 32 || c === 9;
const isBase64UrlChar = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;

/**
 * `key=value`, `key: value`, `"key": "value"` pairs whose key is sensitive. Scans for the separators and reads
 * each key backwards from one, never past the one before: linear however long a run of key characters is. A
 * key that is not sensitive leaves its value to be scanned (`cb=https://…?token=S`).
 */
function maskKeyValues(text: string, sensitive: Sensitivity, counter: { count: number }): string {
  const parts: string[] = [];
  let from = 0;
  let nextEquals = text.indexOf("=");
  let nextColon = text.indexOf(":");
  while (nextEquals >= 0 || nextColon >= 0) {
    // The nearer separator; indexOf finds each far faster than a loop over every character.
    const sep = nextColon < 0 || (nextEquals >= 0 && nextEquals < nextColon) ? nextEquals : nextColon;
    if (sep === nextEquals) nextEquals = text.indexOf("=", sep + 1);
    else nextColon = text.indexOf(":", sep + 1);
    if (sep < from) continue;
    let keyEnd = sep;
    while (keyEnd > from && isBlank(text.charCodeAt(keyEnd - 1))) keyEnd--;
    const quote = keyEnd > from ? text.charCodeAt(keyEnd - 1) : 0;
    const quoted = quote === 34 || quote === 39;
    if (quoted) keyEnd--;
    let keyStart = keyEnd;
    while (keyStart > from && isKeyChar(text.charCodeAt(keyStart - 1))) keyStart--;
    if (keyStart === keyEnd || (quoted && (keyStart === from || text.charCodeAt(keyStart - 1) !== quote))) continue;
    if (!sensitive(text.slice(keyStart, keyEnd))) continue;
    let valueStart = sep + 1;
    while (valueStart < text.length && isBlank(text.charCodeAt(valueStart))) valueStart++;
    KEY_VALUE.lastIndex = valueStart;
    const v = KEY_VALUE.exec(text);
    const opening = text[valueStart];
    if (v) {
      const q = v[1]![0] === '"' || v[1]![0] === "'" ? v[1]![0] : "";
      parts.push(text.slice(from, valueStart), `${q}${REDACTED}${q}`);
      from = KEY_VALUE.lastIndex;
    } else if (opening === '"' || opening === "'") {
      // A quote that does not close on its line: masked to the line's end rather than shown.
      const lineEnd = text.indexOf("\n", valueStart);
      parts.push(text.slice(from, valueStart), `${opening}${REDACTED}`);
      from = lineEnd < 0 ? text.length : lineEnd;
    } else continue;
    counter.count++;
  }
  if (from === 0) return text;
  parts.push(text.slice(from));
  return parts.join("");
}

/** JWTs, found from each `eyJ` that starts a run (so a long run is read once, not from each `eyJ` in it). */
function maskJwts(text: string, counter: { count: number }): string {
  const parts: string[] = [];
  let from = 0;
  for (let at = text.indexOf("eyJ"); at >= 0; at = text.indexOf("eyJ", Math.max(at + 3, from))) {
    if (at > 0 && isBase64UrlChar(text.charCodeAt(at - 1))) continue;
    JWT_AT.lastIndex = at;
    if (!JWT_AT.test(text)) continue;
    parts.push(text.slice(from, at), REDACTED);
    counter.count++;
    from = JWT_AT.lastIndex;
  }
  if (from === 0) return text;
  parts.push(text.slice(from));
  return parts.join("");
}

function maskShapes(text: string, counter: { count: number }): string {
  let out = text.includes("eyJ") ? maskJwts(text, counter) : text;
  if (AUTH_HINT.test(out)) {
    out = out.replace(AUTH_SCHEME, (whole, scheme: string, gap: string, credential: string) => {
      if (scheme.toLowerCase() === "basic" && !looksLikeBase64Credential(credential)) return whole;
      counter.count++;
      return `${scheme}${gap}${REDACTED}`;
    });
  }
  if (out.includes("://")) out = out.replace(URL_PASSWORD, (_whole, head: string) => (counter.count++, `${head}${REDACTED}@`));
  return out;
}

/** One window of whole lines, each at most MAX_SCANNED_LINE long. */
function maskWindow(text: string, sensitive: Sensitivity, counter: { count: number }): string {
  return maskShapes(maskKeyValues(text, sensitive, counter), counter);
}

/** Secrets in one string, by key=value and by value shape; the same string back when nothing matched. */
function maskString(text: string, sensitive: Sensitivity, counter: { count: number }): string {
  if (!TRIGGER.test(text)) return text;
  const pem = maskPemBlocks(text, counter);
  if (pem.length <= MAX_SCANNED_LINE) return maskWindow(pem, sensitive, counter);
  const parts: string[] = [];
  for (let start = 0; start < pem.length;) {
    if (pem.length - start <= MAX_SCANNED_LINE) {
      // the rest fits one window, whether or not it ends with a newline
      parts.push(maskWindow(pem.slice(start), sensitive, counter));
      break;
    }
    const cut = pem.lastIndexOf("\n", start + MAX_SCANNED_LINE);
    if (cut >= start) {
      parts.push(maskWindow(pem.slice(start, cut + 1), sensitive, counter));
      start = cut + 1;
      continue;
    }
    // One line longer than the window: too long to scan, masked whole if anything could match in it.
    const lineEnd = pem.indexOf("\n", start);
    const end = lineEnd < 0 ? pem.length : lineEnd + 1;
    const line = pem.slice(start, end);
    if (TRIGGER.test(line)) {
      parts.push(lineEnd < 0 ? REDACTED : `${REDACTED}\n`);
      counter.count++;
    } else parts.push(line);
    start = end;
  }
  return parts.join("");
}

/** Best-effort masking of text: sensitive `key=value` pairs and secret-shaped values. */
export function redactText(text: string, compiled: readonly string[]): { text: string; count: number } {
  if (compiled.length === 0) return { text, count: 0 };
  const counter = { count: 0 };
  const out = maskString(text, sensitivity(compiled), counter);
  return { text: out, count: counter.count };
}

// ---- JSON ------------------------------------------------------------------------------------------------

type Container = Record<string, unknown> | unknown[];
interface Frame {
  src: Container;
  /** An object's keys; null for an array. */
  keys: string[] | null;
  next: number;
  /** The copy, made at the first change (copy-on-write). */
  out: Container | null;
  parent: Frame | null;
  slot: string | number;
  /** Under a sensitive key: every string below is masked. */
  underSensitive: boolean;
}

const frameOf = (src: Container, parent: Frame | null, slot: string | number, underSensitive: boolean): Frame => ({
  src,
  keys: Array.isArray(src) ? null : Object.keys(src),
  next: 0,
  out: null,
  parent,
  slot,
  underSensitive,
});

function setSlot(f: Frame, slot: string | number, v: unknown) {
  const out = (f.out ??= Array.isArray(f.src) ? f.src.slice() : { ...f.src });
  (out as Record<string | number, unknown>)[slot] = v;
}

/**
 * The walk behind redactJson: iterative (no stack overflow at any depth), allocation-free until something is
 * masked. Under a sensitive key every string is masked, at any depth below it; numbers, booleans and null are
 * no credentials and stay (the demo's LLM usage `tokens: {prompt: 812, …}`), and so do the keys.
 */
function maskJsonValue(root: unknown, sensitive: Sensitivity, counter: { count: number }): unknown {
  if (typeof root === "string") return maskString(root, sensitive, counter);
  if (root === null || typeof root !== "object") return root;
  const top = frameOf(root as Container, null, 0, false);
  let f: Frame | null = top;
  while (f) {
    const size = f.keys ? f.keys.length : (f.src as unknown[]).length;
    if (f.next >= size) {
      const done: Frame = f;
      f = f.parent;
      if (f && done.out) setSlot(f, done.slot, done.out);
      continue;
    }
    const slot: string | number = f.keys ? f.keys[f.next]! : f.next;
    f.next++;
    const child = (f.src as Record<string | number, unknown>)[slot];
    if (child === null || (typeof child !== "string" && typeof child !== "object")) continue;
    const underSensitive = f.underSensitive || (typeof slot === "string" && sensitive(slot));
    if (typeof child === "object") {
      f = frameOf(child as Container, f, slot, underSensitive);
    } else if (underSensitive) {
      setSlot(f, slot, REDACTED);
      counter.count++;
    } else {
      const masked = maskString(child, sensitive, counter);
      if (masked !== child) setSlot(f, slot, masked);
    }
  }
  return top.out ?? root;
}

/**
 * A JSON value with secrets masked: every string under a sensitive key, and secret-shaped strings anywhere.
 * Copy-on-write: the input is never changed, and comes back as it is (same reference) when nothing was
 * masked — the common case.
 */
export function redactJson(value: unknown, compiled: readonly string[]): { value: unknown; count: number } {
  if (compiled.length === 0) return { value, count: 0 };
  const counter = { count: 0 };
  const masked = maskJsonValue(value, sensitivity(compiled), counter);
  return { value: masked, count: counter.count };
}

// ---- Headers, payloads, outcomes ---------------------------------------------------------------------------

/** Headers with sensitive names' values masked, and secret-shaped values in the others; the same object back when none matched. */
export function redactHeaders(
  headers: Record<string, string[]> | undefined,
  compiled: readonly string[],
): { headers: Record<string, string[]> | undefined; count: number } {
  if (!headers || compiled.length === 0) return { headers, count: 0 };
  const sensitive = sensitivity(compiled);
  const counter = { count: 0 };
  let out: Record<string, string[]> | null = null;
  for (const k of Object.keys(headers)) {
    if (sensitive(k)) {
      (out ??= { ...headers })[k] = headers[k]!.map(() => REDACTED);
      counter.count++;
      continue;
    }
    const values = headers[k]!;
    const masked = values.map((v) => maskString(v, sensitive, counter));
    if (masked.some((v, i) => v !== values[i])) (out ??= { ...headers })[k] = masked;
  }
  return { headers: out ?? headers, count: counter.count };
}

const lenientUtf8 = new TextDecoder("utf-8", { fatal: false });
const encoder = new TextEncoder();

/**
 * Payload bytes with secrets masked. JSON is re-serialized compactly when (and only when) something was masked,
 * so an untouched payload keeps its exact bytes. Bytes that are not UTF-8 are decoded with U+FFFD for what
 * does not decode and masked as text; the masked text, re-encoded, replaces them when anything was masked.
 */
export function redactPayload(bytes: Uint8Array, compiled: readonly string[]): { bytes: Uint8Array; count: number } {
  if (compiled.length === 0 || bytes.length === 0) return { bytes, count: 0 };
  const text = lenientUtf8.decode(bytes);
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    let parsed: unknown;
    let isJson = true;
    try {
      parsed = JSON.parse(text);
    } catch {
      isJson = false; // not JSON after all: the text patterns below
    }
    if (isJson) {
      const r = redactJson(parsed, compiled);
      return r.count > 0 ? { bytes: encoder.encode(stringifyJson(r.value)), count: r.count } : { bytes, count: 0 };
    }
  }
  const r = redactText(text, compiled);
  return r.count > 0 ? { bytes: encoder.encode(r.text), count: r.count } : { bytes, count: 0 };
}

/**
 * A malformed outcome's parse error, masked: V8 quotes the source in it, whole when short, else as a cut
 * excerpt (`..."ssword=hun"...`) whose key no pattern can recognize — a cut excerpt is dropped.
 */
function maskParseError(error: string, sensitive: Sensitivity, counter: { count: number }): string {
  const open = error.indexOf('"');
  const close = error.lastIndexOf('"');
  if (close <= open || !(error.includes('..."') || error.includes('"...'))) return maskString(error, sensitive, counter);
  counter.count++;
  const before = error.slice(0, open).replace(/\.\.\.$/, "");
  const after = error.slice(close + 1).replace(/^\.\.\./, "");
  return maskString(`${before}"…"${after}`, sensitive, counter);
}

/**
 * An outcome with secrets masked, from the record already parsed — the same masking redactPayload gives its
 * bytes (JSON at any depth; a raw, non-JSON body and its parse error as text), without decoding and scanning
 * every payload a second time on the ingest path. Returns the record itself when nothing was masked.
 */
export function redactOutcome(r: OutcomeRecord, fields: readonly string[], headerNames: readonly string[]): OutcomeRecord {
  const h = redactHeaders(r.headers, headerNames);
  if (r.valid) {
    const b = redactJson(r.body, fields);
    if (b.count === 0 && h.count === 0) return r;
    return { ...r, headers: h.headers, body: b.value as typeof r.body };
  }
  if (fields.length === 0) return h.count === 0 ? r : { ...r, headers: h.headers };
  const sensitive = sensitivity(fields);
  const counter = { count: 0 };
  const raw = maskString(r.raw, sensitive, counter);
  const error = maskParseError(r.error, sensitive, counter);
  if (counter.count === 0 && h.count === 0) return r;
  return { ...r, headers: h.headers, raw, error };
}

/** What the per-handler summary (lib/outcomes/stats.ts, lib/outcomes/rollup.ts) and a feed row (toOutcomeRow) read. */
const SUMMARY_FIELDS = ["handler_id", "severity", "kind", "target", "summary", "diagnostic", "emitted_at", "event", "subject"];
const SUMMARY_HEADERS = ["Nats-Msg-Id"];

/** The free-text fields among them, scanned for secret-shaped values (a traceback quoting a DSN, a `password=`). */
function maskSummaryText(r: OutcomeRecord & { valid: true }, sensitive: Sensitivity): OutcomeRecord {
  const b = r.body;
  const counter = { count: 0 };
  const summary = b.summary === undefined ? undefined : maskString(b.summary, sensitive, counter);
  const diagnostic = b.diagnostic === undefined ? undefined : maskString(b.diagnostic, sensitive, counter);
  const target = b.target === null ? null : maskString(b.target, sensitive, counter);
  if (counter.count === 0) return r;
  return { ...r, body: { ...b, summary, diagnostic, target } };
}

/**
 * Masks an outcome as far as the summary and the feed rows read it, for ingest: when the rules mask none of
 * the names those read (the defaults don't), a valid record comes back with only its summary, diagnostic and
 * target scanned — its event payload and other headers NOT masked — instead of walking every payload at
 * 100,000 outcomes/s. Hand the result to nothing but the aggregators and toOutcomeRow: a full record that
 * leaves the server is masked whole (redactOutcome). A malformed record is always masked whole: its row shows
 * its raw text.
 */
export function summaryRedactor(fields: readonly string[], headerNames: readonly string[]): (r: OutcomeRecord) => OutcomeRecord {
  const masks = masksAnyName(SUMMARY_FIELDS, fields) || masksAnyName(SUMMARY_HEADERS, headerNames);
  if (masks) return (r) => redactOutcome(r, fields, headerNames);
  if (fields.length === 0) return (r) => (r.valid ? r : redactOutcome(r, fields, headerNames));
  const sensitive = sensitivity(fields);
  return (r) => (r.valid ? maskSummaryText(r, sensitive) : redactOutcome(r, fields, headerNames));
}
