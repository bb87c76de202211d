/**
 * Error-group fingerprints: an exception line with its variable parts (numbers, ids, quoted data, hex, UUIDs,
 * addresses, paths, URLs) replaced by placeholders, the way error trackers group, so `KeyError: 'peer-72636'`
 * and `KeyError: 'peer-9'` are one group. The replaced parts are kept as the group's example values.
 */

/** Longest exception line fingerprinted; the rest is cut, so every pattern below sees bounded text. */
export const FINGERPRINT_MAX_CHARS = 1_000;
/** Longest example value kept per variant. */
const VALUE_MAX_CHARS = 200;

export interface Fingerprint {
  /** The line with its variable parts as placeholders, e.g. `KeyError: <str>`: what groups compare. */
  pattern: string;
  /** The replaced parts in order, e.g. `'peer-72636'`; empty when the line has none. */
  values: string[];
}

/**
 * The variable parts inside one token (a run without spaces or quotes). Every alternative is a bounded run with
 * no nested quantifiers, so the scan is linear in the token.
 */
const VARIABLE_PART = new RegExp(
  [
    String.raw`(?<url>\b[a-z][a-z0-9+.-]{1,15}://[^\s'"<>]{1,500})`,
    String.raw`(?<uuid>\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)`,
    String.raw`(?<ip>\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b|\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|(?:\b[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}\b(?::[0-9a-f]{1,4}\b){0,6})?)`,
    String.raw`(?<path>(?:\b[a-z]:\\|(?<![\w/.])/)[\w.@+-]{1,100}(?:[/\\][\w.@+-]{1,100}){0,30})`,
    String.raw`(?<hex>\b0x[0-9a-f]{1,64}\b|\b(?=[0-9a-f]{0,63}\d)(?=[0-9a-f]{0,63}[a-f])[0-9a-f]{8,64}\b)`,
    String.raw`(?<id>\b(?=[a-z0-9_]{0,63}\d)(?=[a-z0-9_]{0,63}[a-z])[a-z0-9_]{6,64}\b)`,
    String.raw`(?<num>\d+(?:\.\d+)?)`,
  ].join("|"),
  "gi",
);

const PLACEHOLDERS = ["url", "uuid", "ip", "path", "hex", "id", "num"] as const;

/**
 * Quoted text or a token. An unclosed quote costs one scan to the next quote, line end or 400 characters, so
 * the whole line is read at most about twice.
 */
const TOKEN = /'[^'\n]{0,400}'|"[^"\n]{0,400}"|[^\s'"]+/g;
/** Tokens that can hold a variable part; the rest (most words) are kept without running VARIABLE_PART. */
const MAY_VARY = /[\d/\\]/;
/** A line without any of these has no variable part: it is its own pattern. */
const ANY_VARIABLE = /[\d'"/\\]/;

/**
 * A quoted value is data when it carries a digit (`'peer-72636'`, `'Gi1/0/24'`), a path separator or is long;
 * a short quoted word (`'NoneType'`, `'get'`) names code, so it stays and keeps such groups apart.
 */
const isQuotedData = (quoted: string) => quoted.length > 42 || /[\d/\\]/.test(quoted);

/** The fingerprint of one exception line (exceptionLine of a diagnostic, or a summary). */
export function fingerprint(line: string): Fingerprint {
  const text = line.length > FINGERPRINT_MAX_CHARS ? line.slice(0, FINGERPRINT_MAX_CHARS) : line;
  if (!ANY_VARIABLE.test(text)) return { pattern: text, values: [] };
  const values: string[] = [];
  const keep = (part: string) => values.push(part.length > VALUE_MAX_CHARS ? `${part.slice(0, VALUE_MAX_CHARS)}…` : part);
  const pattern = text.replace(TOKEN, (token: string) => {
    if (token[0] === "'" || token[0] === '"') return isQuotedData(token) ? (keep(token), "<str>") : token;
    if (!MAY_VARY.test(token)) return token;
    return token.replace(VARIABLE_PART, (match: string, ...rest: unknown[]) => {
      const groups = rest[rest.length - 1] as Record<string, string | undefined>;
      const kind = PLACEHOLDERS.find((k) => groups[k] !== undefined) ?? "num";
      // A bare path of one segment (`/x`) is as likely an operator or a ratio as a path: only its numbers vary.
      if (kind === "path" && !/[/\\].*[/\\]/.test(match)) return match.replace(/\d+(?:\.\d+)?/g, (n) => (keep(n), "<num>"));
      keep(match);
      return `<${kind}>`;
    });
  });
  return { pattern, values };
}

/**
 * A short stable id for a group's pattern, safe in a URL path: two 32-bit FNV-1a hashes (different offsets)
 * as 16 hex digits. Same pattern, same id, in the server and the browser.
 */
export function patternId(pattern: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/** A fingerprint's example value as one string: its replaced parts joined, or the line itself when none. */
export const exampleValue = (fp: Fingerprint): string => (fp.values.length === 0 ? "(no variable part)" : fp.values.join(" · "));

/** How many distinct example values a group keeps, each with its count. */
export const MAX_EXAMPLES = 5;

export interface GroupExample {
  value: string;
  count: number;
}

/**
 * Adds `count` occurrences of `value` to a group's examples: counted when already kept, added while fewer
 * than MAX_EXAMPLES are kept, else left out (the group's count still has it). Mutates and returns `examples`.
 */
export function addExample(examples: GroupExample[], value: string, count = 1): GroupExample[] {
  const have = examples.find((e) => e.value === value);
  if (have) have.count += count;
  else if (examples.length < MAX_EXAMPLES) examples.push({ value, count });
  return examples;
}
