/** Wire types of the message browser: one stored message, a page of them, and payload-search progress. */
import type { RenderedPayload } from "./payload";

export interface MessageView {
  stream: string;
  seq: number;
  subject: string;
  /** RFC 3339 with nanoseconds, as the server stores it. */
  time: string;
  /** Payload bytes (headers not counted). */
  size: number;
  headers: Record<string, string[]> | null;
  payload: RenderedPayload;
  /** How many payload fields and headers the server masked (lib/security/redaction.ts); absent when none. */
  redacted?: number;
}

/**
 * The detail: the payload rendered in full up to DETAIL_PAYLOAD_CHARS. The raw bytes are not in the JSON (base64
 * would add a third to a large payload on every view); `?download=1` on the same URL serves them.
 */
export type MessageDetail = MessageView;

export interface MessagePage {
  stream: string;
  /** Messages in ascending sequence order, whichever direction was browsed. */
  messages: MessageView[];
  /** The stream's bounds when the page was read. */
  first_seq: number;
  last_seq: number;
  /** Where the page started looking (after resolving start_time / first / last). */
  from_seq: number;
  /** Positions for the neighbouring pages; null when there is nothing further that way. */
  older_seq: number | null;
  newer_seq: number | null;
  /**
   * A backward page stopped looking before it was full (its get budget ran out, or the request went away);
   * older_seq is then where it stopped, so paging older continues the search.
   */
  scan_capped: boolean;
}

export type SearchEvent =
  | { type: "progress"; scanned: number; matched: number; at_seq: number; last_seq: number }
  | { type: "match"; message: MessageView }
  | { type: "done"; scanned: number; matched: number; at_seq: number; reason: "end_of_stream" | "scan_limit" | "max_matches" }
  | { type: "error"; message: string };

/** Browser list rows show this many characters of a payload; the detail shows everything. */
export const LIST_PAYLOAD_CHARS = 240;
/** The detail renders at most this many characters of a payload (1 Mi): beyond it the browser only slows down. */
export const DETAIL_PAYLOAD_CHARS = 1_048_576;

/** Why a sequence has no message, and where to go instead: the not-found page's text and its next step. */
export interface MissingMessage {
  reason: string;
  /** The nearest sequence worth opening, with the link's words; null when the stream is empty. */
  next: { seq: number; label: string } | null;
}

export function explainMissingMessage(
  stream: string,
  seq: number,
  bounds: { first_seq: number; last_seq: number; messages: number },
): MissingMessage {
  const at = `#${seq.toLocaleString("en-US")}`;
  const range = `#${bounds.first_seq.toLocaleString("en-US")}–${bounds.last_seq.toLocaleString("en-US")}`;
  if (bounds.messages === 0)
    return { reason: `${stream} holds no messages now; ${at} has expired, was purged or was never written`, next: null };
  if (seq > bounds.last_seq)
    return { reason: `${stream} holds ${range}; ${at} is past the end`, next: { seq: bounds.last_seq, label: "jump to the last" } };
  if (seq < bounds.first_seq)
    return {
      reason: `${stream} holds ${range}; ${at} has expired or was purged`,
      next: { seq: bounds.first_seq, label: "jump to the oldest kept" },
    };
  return {
    reason: `${stream} holds ${range}, but ${at} was deleted`,
    next: { seq: Math.min(seq + 1, bounds.last_seq), label: "open the next one" },
  };
}

/** The browser's note when the requested `seq` lies outside what the stream holds and the page starts elsewhere. */
export function describeClampedSeq(
  requested: number | undefined,
  page: Pick<MessagePage, "stream" | "first_seq" | "last_seq" | "from_seq">,
): string | null {
  if (requested === undefined || requested === page.from_seq || page.first_seq > page.last_seq) return null;
  const n = (x: number) => `#${x.toLocaleString("en-US")}`;
  const why = requested > page.last_seq ? `past the end of ${page.stream}` : `older than the oldest message ${page.stream} keeps`;
  return `seq ${n(requested)} is ${why} (it holds ${n(page.first_seq)}–${page.last_seq.toLocaleString("en-US")}): clamped to ${n(page.from_seq)}`;
}
