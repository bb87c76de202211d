import type { Msg, MsgHdrs } from "@nats-io/nats-core";

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
      else if (key === "__proto__") Object.defineProperty(out, key, { value: [value], enumerable: true, writable: true, configurable: true });
      else out[key] = [value];
    }
    start = end;
  }
  return out;
}

/** What the client's core message carries internally: its buffer (headers, then payload) and the header length. */
interface MsgInternals {
  _rdata?: unknown;
  _msg?: { hdr?: unknown };
}

/**
 * A core message's headers as a record, parsed straight from the header bytes: the client's `msg.headers`
 * builds a header object through split/map/validation, which cost a fifth of outcome ingest per message.
 * Reads the client's internals when they look as expected (nats-core 3.x MsgImpl), else its public API.
 */
export function coreMsgHeaders(msg: Msg): Record<string, string[]> | undefined {
  const m = msg as unknown as MsgInternals;
  const hdr = m._msg?.hdr;
  if (m._rdata instanceof Uint8Array && typeof hdr === "number") return hdr > 0 ? parseHeaderBlock(m._rdata.subarray(0, hdr)) : undefined;
  return headersToRecord(msg.headers);
}
