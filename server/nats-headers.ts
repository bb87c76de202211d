import type { Msg, MsgHdrs } from "@nats-io/nats-core";
import { idHash, idHashOfBytes } from "../lib/outcomes/recent-ids";

/** NATS headers as a plain, JSON-safe record (multi-valued). */
export function headersToRecord(h: Pick<MsgHdrs, "keys" | "values"> | undefined): Record<string, string[]> | undefined {
  if (!h) return undefined;
  const out: Record<string, string[]> = {};
  for (const k of h.keys()) out[k] = h.values(k);
  return out;
}

const latin = new TextDecoder();

/**
 * A raw header block (`NATS/1.0[ status]\r\nKey: value\r\n…\r\n\r\n`) as the record headersToRecord gives for
 * the client's own decoding (MsgHdrsImpl.decode): keys exact, values trimmed, repeats kept in order, the status
 * line and lines without a colon skipped. A single pass with no intermediate arrays or header objects.
 */
export function parseHeaderBlock(block: Uint8Array): Record<string, string[]> {
  const s = latin.decode(block);
  const out: Record<string, string[]> = {};
  let start = s.indexOf("\r\n");
  while (start >= 0 && start < s.length) {
    start += 2;
    let end = s.indexOf("\r\n", start);
    if (end < 0) end = s.length;
    const colon = s.indexOf(":", start);
    if (colon >= 0 && colon < end) {
      const key = s.slice(start, colon);
      const value = s.slice(colon + 1, end).trim();
      if (Object.hasOwn(out, key)) out[key]!.push(value);
      // A header named __proto__ is a header like any other, not the record's prototype.
      else if (key === "__proto__")
        Object.defineProperty(out, key, { value: [value], enumerable: true, writable: true, configurable: true });
      else out[key] = [value];
    }
    start = end;
  }
  return out;
}

/**
 * The first value of header `name` in a raw header block — what parseHeaderBlock(block)[name]?.[0] gives —
 * read from the bytes without decoding or splitting the rest.
 */
export function headerValueOf(block: Uint8Array, name: string): string | undefined {
  const from = valueStart(block, name);
  return from < 0 ? undefined : decodeValue(block, from, valueEnd);
}

/** A header value as a string: decoded, trimmed as parseHeaderBlock trims it. */
const decodeValue = (block: Uint8Array, from: number, to: number) => latin.decode(block.subarray(from, to)).trim();

/**
 * idHash (lib/outcomes/recent-ids.ts) of header `name`'s first value in a raw header block (the bytes up to `blockEnd`) — what
 * idHash(headerValueOf(block, name)) gives — or 0 when it is absent or empty, hashed from the bytes without
 * decoding: ingest needs only this of the message id per message. A value with a non-ASCII byte is decoded
 * and trimmed as headerValueOf does (Unicode spaces), then hashed.
 */
export function headerValueHash(block: Uint8Array, name: string, blockEnd = block.length): number {
  let from = valueStart(block, name, blockEnd);
  let to = valueEnd;
  if (from < 0) return 0;
  for (let i = from; i < to; i++) if (block[i]! > 0x7f) return idHashOrZero(decodeValue(block, from, to));
  while (from < to && isAsciiSpace(block[from]!)) from++;
  while (to > from && isAsciiSpace(block[to - 1]!)) to--;
  return to > from ? idHashOfBytes(block, from, to) : 0;
}

/** Where valueStart's value ends (set by each call: no object per lookup on the ingest path). */
let valueEnd = 0;

/** Where header `name`'s first value starts (just after its colon), or -1; its end goes to `valueEnd`. */
function valueStart(block: Uint8Array, name: string, blockEnd = block.length): number {
  let start = lineEnd(block, 0, blockEnd);
  while (start < blockEnd) {
    start += 2;
    const end = lineEnd(block, start, blockEnd);
    if (end - start > name.length && block[start + name.length] === COLON && startsWithName(block, start, name)) {
      valueEnd = end;
      return start + name.length + 1;
    }
    start = end;
  }
  return -1;
}

const idHashOrZero = (id: string) => (id === "" ? 0 : idHash(id));
/** What String.prototype.trim removes among ASCII bytes (CR and LF end a header line before this). */
const isAsciiSpace = (c: number) => c === 32 || c === 9 || c === 11 || c === 12;

const CR = 13;
const LF = 10;
const COLON = 58;

/** Where the line from `from` ends: the index of its CRLF, else the block's end. */
function lineEnd(block: Uint8Array, from: number, blockEnd: number): number {
  for (let i = from; i < blockEnd - 1; i++) if (block[i] === CR && block[i + 1] === LF) return i;
  return blockEnd;
}

/** The line at `at` starts with `name` (ASCII, no colon): followed by a colon, its key is exactly `name`. */
function startsWithName(block: Uint8Array, at: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) if (block[at + i] !== name.charCodeAt(i)) return false;
  return true;
}

/** What the client's core message carries internally: its buffer (headers, then payload) and the header length. */
interface MsgInternals {
  _rdata?: unknown;
  _msg?: { hdr?: unknown };
}

/**
 * The bytes a core message arrived as — its header block (coreHeaderLength long), then its payload — with no
 * view, header object or Buffer built per message (constructing the client's own cost 5 % of outcome ingest),
 * or null when the client's internals are not as expected (nats-core 3.x MsgImpl): read `msg.headers` and
 * `msg.data` then.
 */
export function coreMsgBytes(msg: Msg): Uint8Array | null {
  const m = msg as unknown as MsgInternals;
  return m._rdata instanceof Uint8Array && typeof m._msg?.hdr === "number" ? m._rdata : null;
}

/** How long the header block at the start of coreMsgBytes(msg) is: 0 when the message has no headers. */
export function coreHeaderLength(msg: Msg): number {
  return Math.max(0, (msg as unknown as MsgInternals)._msg!.hdr as number);
}
