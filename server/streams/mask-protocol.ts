/** Messages between the request thread (payload-masker.ts) and a masking thread (mask-worker.ts). */
import type { MaskedPayload, RedactionPatterns } from "../../lib/security/masked-payload";
import type { RenderOptions } from "../../lib/streams/payload";
import type { BusdeckConfig } from "../config";
import type { MaskedRead } from "./stored-reply";

export interface MaskWorkerData {
  /** The server's compiled redaction rules (server/redaction.ts): plain lists, so the thread needs no config. */
  patterns: RedactionPatterns;
  /** Where the thread's own connection reads stored messages from (absent: it reads none). */
  nats?: BusdeckConfig["nats"];
}

/** One stored message to read with the stream "get message" API ($JS.API.STREAM.MSG.GET). */
export interface StoredGet {
  stream: string;
  seq: number;
  apiPrefix: string;
  timeout: number;
}

type Render = Omit<RenderOptions, "contentType"> | null;

/** The bytes' buffer is transferred: the sender no longer holds it. */
export type MaskRequest =
  | { t: "payload"; id: number; data: Uint8Array; headers: Record<string, string[]> | undefined; render: Render }
  /** A stream "get message" API reply, decoded on the thread too (stored-reply.ts). */
  | { t: "reply"; id: number; reply: Uint8Array; render: Render }
  /** A stored message read on the thread's own connection, so its bytes never pass through the request thread. */
  | ({ t: "get"; id: number; render: Render } & StoredGet);

export type MaskResponse =
  | { t: "ready" }
  | { t: "masked"; id: number; masked: MaskedPayload }
  | { t: "read"; id: number; read: MaskedRead | null }
  | { t: "failed"; id: number; error: string };

/**
 * Bytes that can be posted without dragging more along: `bytes` itself when it spans its own buffer, else one
 * copy (posting a view clones or transfers its whole buffer, e.g. a socket read or Buffer's shared pool).
 */
export const ownBuffer = (bytes: Uint8Array): Uint8Array =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();

/** The buffer to transfer for bytes made by ownBuffer. */
export const transferable = (bytes: Uint8Array): ArrayBuffer[] => (bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : []);
