/**
 * A stream "get message" API reply ($JS.API.STREAM.MSG.GET) decoded and masked, on whichever thread reads it: a
 * multi-megabyte reply is megabytes of JSON and base64 to decode before any masking. No server-only import, so
 * the masking thread (mask-worker.ts) loads it.
 */
import { maskPayload, type MaskedPayload, type RedactionPatterns } from "../../lib/security/masked-payload";
import type { RenderOptions } from "../../lib/streams/payload";
import { parseHeaderBlock } from "../nats-headers";

/** What a view shows of a stored message besides its payload and headers. */
export interface StoredMeta {
  seq: number;
  subject: string;
  timestamp: string;
  size: number;
}

/** A stored message read from its API reply and masked. */
export interface MaskedRead {
  meta: StoredMeta;
  masked: MaskedPayload;
}

interface GetReply {
  error?: unknown;
  message?: { subject: string; seq: number; time: string; data?: string; hdrs?: string };
}

const utf8 = new TextDecoder();

const fromBase64 = (s: string): Uint8Array => {
  const b = Buffer.from(s, "base64");
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};

/**
 * The reply's message masked, its payload rendered when `render` is given; null for an error reply (the caller
 * asks the client again, which types the error: not found, no stream…).
 */
export function maskStoredReply(
  reply: Uint8Array,
  patterns: RedactionPatterns,
  render: Omit<RenderOptions, "contentType"> | null,
): MaskedRead | null {
  const r = JSON.parse(utf8.decode(reply)) as GetReply;
  if (r.error || !r.message) return null;
  const m = r.message;
  const data = m.data ? fromBase64(m.data) : new Uint8Array(0);
  const headers = m.hdrs ? parseHeaderBlock(fromBase64(m.hdrs)) : undefined;
  return {
    meta: { seq: m.seq, subject: m.subject, timestamp: m.time, size: data.length },
    masked: maskPayload({ data, headers }, patterns, render),
  };
}
