/**
 * How a message payload is shown: pretty JSON when it parses, else UTF-8 text, else a hex dump. Always text —
 * the view puts the result in a text node, never in HTML. Pure: bytes in, strings out.
 */

import { stringifyJson } from "../wire/deep-json";

export type PayloadKind = "json" | "text" | "binary" | "empty";

export interface RenderedPayload {
  kind: PayloadKind;
  /** What to show, possibly cut at `limit` characters. */
  text: string;
  truncated: boolean;
  /** Size of the raw payload in bytes. */
  size: number;
  /** Why the payload is shown raw, e.g. its Content-Type says JSON but it does not parse. */
  warning: string | null;
}

export interface RenderOptions {
  /** Cut the rendered text at this many characters (the list); the detail passes Infinity. */
  limit?: number;
  /** Compact JSON on one line (the list) instead of indented (the detail). */
  compact?: boolean;
  /** The message's Content-Type header, if any: only used to warn when a declared JSON payload is malformed. */
  contentType?: string | null;
}

/** Above this share of control characters, valid UTF-8 is still treated as binary (e.g. a protobuf that decodes). */
const MAX_CONTROL_SHARE = 0.1;
/** Hex dumps grow 4× the input: never render more than this many bytes as hex, even in the detail. */
export const HEX_RENDER_LIMIT = 64 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function looksLikeText(s: string): boolean {
  if (s.length === 0) return true;
  let control = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) control++;
  }
  return control / s.length <= MAX_CONTROL_SHARE && !s.includes("\u0000");
}

/** "00000000  7b 22 61 22 3a 31 7d                             |{\"a\":1}|" — 16 bytes a line. */
export function hexDump(bytes: Uint8Array, maxBytes = HEX_RENDER_LIMIT): string {
  const n = Math.min(bytes.length, maxBytes);
  const lines: string[] = [];
  for (let off = 0; off < n; off += 16) {
    const row = bytes.subarray(off, Math.min(off + 16, n));
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, "0")).join(" ");
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
    lines.push(`${off.toString(16).padStart(8, "0")}  ${hex.padEnd(47, " ")}  |${ascii}|`);
  }
  return lines.join("\n");
}

const declaresJson = (ct: string | null | undefined) => !!ct && /\bjson\b/i.test(ct);

function cut(text: string, limit: number): { text: string; truncated: boolean } {
  if (text.length <= limit) return { text, truncated: false };
  return { text: text.slice(0, limit), truncated: true };
}

/** JSON as shown; nesting deeper than JSON.stringify's recursion allows is shown compact (it parsed fine). */
function showJson(value: unknown, compact: boolean): { text: string; warning: string | null } {
  try {
    return { text: compact ? JSON.stringify(value) : JSON.stringify(value, null, 2), warning: null };
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    return { text: stringifyJson(value), warning: compact ? null : "nested too deep to indent: shown compact" };
  }
}

export function renderPayload(bytes: Uint8Array, opts: RenderOptions = {}): RenderedPayload {
  const limit = opts.limit ?? Infinity;
  const size = bytes.length;
  if (size === 0) return { kind: "empty", text: "", truncated: false, size, warning: null };
  const decoded = decodeUtf8(bytes);
  if (decoded !== null) {
    const trimmed = decoded.trimStart();
    if (trimmed.startsWith("{") || trimmed.startsWith("[") || declaresJson(opts.contentType)) {
      try {
        const value: unknown = JSON.parse(decoded);
        const shown = showJson(value, opts.compact ?? false);
        return { kind: "json", ...cut(shown.text, limit), size, warning: shown.warning };
      } catch (err) {
        if (looksLikeText(decoded)) {
          const warning =
            declaresJson(opts.contentType) || trimmed.startsWith("{") || trimmed.startsWith("[")
              ? `malformed JSON, shown raw: ${(err as Error).message}`
              : null;
          return { kind: "text", ...cut(decoded, limit), size, warning };
        }
      }
    } else if (looksLikeText(decoded)) {
      return { kind: "text", ...cut(decoded, limit), size, warning: null };
    }
  }
  // Hex limit counts input bytes; the character limit then applies to the dump.
  const dump = hexDump(bytes, Math.min(HEX_RENDER_LIMIT, Number.isFinite(limit) ? Math.ceil(limit / 4) + 16 : HEX_RENDER_LIMIT));
  const shown = cut(dump, limit);
  return {
    kind: "binary",
    text: shown.text,
    truncated: shown.truncated || size > HEX_RENDER_LIMIT,
    size,
    warning: declaresJson(opts.contentType) ? "declared JSON but the payload is not valid UTF-8; shown as hex" : null,
  };
}

/** Parses a payload as a JSON object for field predicates; null when it is not JSON. */
export function parseJsonPayload(bytes: Uint8Array): unknown {
  const s = decodeUtf8(bytes);
  if (s === null) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
