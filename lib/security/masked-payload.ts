/**
 * A message's payload and headers masked (lib/security/redaction.ts), then its payload rendered (lib/streams/payload.ts) from the
 * masked bytes. One pure function for the request thread and the masking thread (server/streams/mask-worker.ts),
 * so both give the same bytes, count and text.
 */
import { renderPayload, type RenderedPayload, type RenderOptions } from "../streams/payload";
import { redactHeaders, redactPayload } from "./redaction";

/** Compiled redaction patterns (server/redaction.ts compileRedaction): plain lists, safe to post to a thread. */
export interface RedactionPatterns {
  fields: readonly string[];
  headers: readonly string[];
}

export interface MaskedPayload {
  data: Uint8Array;
  headers: Record<string, string[]> | undefined;
  redacted: number;
  /** The masked payload rendered, when asked for (a search renders only what it matches). */
  payload: RenderedPayload | null;
}

/** `render`: how to render the masked payload (its Content-Type read from the masked headers); null: don't. */
export function maskPayload(
  message: { data: Uint8Array; headers: Record<string, string[]> | undefined },
  patterns: RedactionPatterns,
  render: Omit<RenderOptions, "contentType"> | null,
): MaskedPayload {
  const p = redactPayload(message.data, patterns.fields);
  const h = redactHeaders(message.headers, patterns.headers);
  const payload = render ? renderPayload(p.bytes, { ...render, contentType: h.headers?.["Content-Type"]?.[0] ?? null }) : null;
  return { data: p.bytes, headers: h.headers, redacted: p.count + h.count, payload };
}
