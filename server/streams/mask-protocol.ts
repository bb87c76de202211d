/** Messages between the request thread (payload-masker.ts) and a masking thread (mask-worker.ts). */
import type { MaskedPayload, RedactionPatterns } from "../../lib/masked-payload";
import type { RenderOptions } from "../../lib/payload";

export interface MaskWorkerData {
  /** The server's compiled redaction rules (server/redaction.ts): plain lists, so the thread needs no config. */
  patterns: RedactionPatterns;
}

/** `data`'s buffer is transferred: the sender no longer holds it. */
export interface MaskRequest {
  id: number;
  data: Uint8Array;
  headers: Record<string, string[]> | undefined;
  render: Omit<RenderOptions, "contentType"> | null;
}

export type MaskResponse = { t: "ready" } | { t: "masked"; id: number; masked: MaskedPayload } | { t: "failed"; id: number; error: string };

/** The buffer to transfer for `bytes` (a SharedArrayBuffer is shared, not transferred). */
export function transferable(bytes: Uint8Array): ArrayBuffer[] {
  return bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [];
}
