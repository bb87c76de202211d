/**
 * Reads stored messages one page at a time with the stream "get message" API (works on nats-server 2.9, no
 * allow_direct needed, no consumer to clean up). `{ seq, next_by_subj }` returns the first message at or after
 * `seq` on a subject filter, which gives forward paging with wildcards and skips deleted sequences. 2.9 has
 * no `start_time` lookup (it answers "bad request"), so time is found by binary search over sequences.
 */
import "server-only";
import type { JetStreamManager, StoredMsg } from "@nats-io/jetstream";
import type { MsgHdrs, NatsConnection } from "@nats-io/nats-core";
import type { MaskedPayload } from "../../lib/security/masked-payload";
import {
  DETAIL_PAYLOAD_CHARS,
  explainMissingMessage,
  LIST_PAYLOAD_CHARS,
  type MessageDetail,
  type MessagePage,
  type MessageView,
} from "../../lib/streams/messages";
import { renderPayload, type RenderedPayload } from "../../lib/streams/payload";
import type { BrowseQuery } from "../../lib/streams/queries";
import { mapLimit } from "../concurrency";
import { headersToRecord } from "../nats-headers";
import { serverRedaction } from "../redaction";
import type { StoredGet } from "./mask-protocol";
import { inlineMasker, type PayloadMasker, type PayloadRender } from "./payload-masker";
import { MaskingThreadError, NotFoundError } from "../errors";
import type { MaskedRead, StoredMeta } from "./stored-reply";

/** In-flight gets when a page is read by plain sequence: one connection pipelines them. */
const PARALLEL_GETS = 32;

type Jsm = Pick<JetStreamManager, "streams">;

/** What a stored message (get API) and a consumed one (JsMsg) have in common. */
export interface StoredLike {
  seq: number;
  subject: string;
  timestamp: string;
  data: Uint8Array;
  header?: Pick<MsgHdrs, "keys" | "values">;
}

/** List rows render the payload compact and short. */
export const LIST_RENDER: PayloadRender = { limit: LIST_PAYLOAD_CHARS, compact: true };
/** The detail renders the payload whole, up to DETAIL_PAYLOAD_CHARS, indented. */
export const DETAIL_RENDER: PayloadRender = { limit: DETAIL_PAYLOAD_CHARS, compact: false };

/** The configured rules, masked on the request thread (benches and tests that read without a runtime). */
const inlineServerMasker = () => inlineMasker(serverRedaction());

/**
 * A stored message's payload and headers with secrets masked (lib/security/redaction.ts), its payload rendered when
 * `render` is given: what every view and selection reads. A large payload is masked off this thread.
 */
export function maskStored(masker: PayloadMasker, sm: StoredLike, render: PayloadRender | null): Promise<MaskedPayload> {
  return masker.mask({ data: sm.data, headers: headersToRecord(sm.header) }, render);
}

/** The view and the payload bytes behind it, both with secrets masked (lib/security/redaction.ts). */
async function maskedView(
  masker: PayloadMasker,
  stream: string,
  sm: StoredLike,
  render: PayloadRender,
): Promise<{ view: MessageView; bytes: Uint8Array }> {
  // A stored message's `data` decodes its base64 at every read: once here, and its bytes may move to a thread.
  const data = sm.data;
  const meta: StoredMeta = { seq: sm.seq, subject: sm.subject, timestamp: sm.timestamp, size: data.length };
  const masked = await masker.mask({ data, headers: headersToRecord(sm.header) }, render);
  return { view: viewOfMasked(stream, meta, masked, masked.payload!), bytes: masked.data };
}

/** A stored message's list view, masked (a large payload off this thread). */
export async function toMessageView(masker: PayloadMasker, stream: string, sm: StoredLike): Promise<MessageView> {
  return (await maskedView(masker, stream, sm, LIST_RENDER)).view;
}

/** The list/detail view of a message already masked, with its masked payload rendered. */
export function viewOfMasked(
  stream: string,
  meta: StoredMeta,
  masked: Pick<MaskedPayload, "headers" | "redacted">,
  payload: RenderedPayload,
): MessageView {
  const headers = masked.headers ?? null;
  const hasHeaders = headers !== null && Object.keys(headers).length > 0;
  const view: MessageView = {
    stream,
    seq: meta.seq,
    subject: meta.subject,
    time: meta.timestamp,
    size: meta.size,
    headers: hasHeaders ? headers : null,
    payload,
  };
  if (masked.redacted > 0) view.redacted = masked.redacted;
  return view;
}

/** The list view of a message masked without rendering (search renders only what it matches). */
export function listViewOfMasked(stream: string, meta: StoredMeta, masked: MaskedPayload): MessageView {
  const payload =
    masked.payload ?? renderPayload(masked.data, { ...LIST_RENDER, contentType: masked.headers?.["Content-Type"]?.[0] ?? null });
  return viewOfMasked(stream, meta, masked, payload);
}

/**
 * The message at exactly `seq` (null when deleted or out of range): its detail view (payload rendered up to
 * DETAIL_PAYLOAD_CHARS) and the raw bytes for a download — both with secrets masked. With `nc` the API reply is
 * read raw and decoded where it is masked (a large one on the masker's thread): decoding megabytes of JSON
 * and base64 on this thread would hold it up as long as masking did.
 */
export async function readMessage(
  jsm: Pick<JetStreamManager, "streams" | "getOptions">,
  stream: string,
  seq: number,
  masker: PayloadMasker = inlineServerMasker(),
  nc?: Pick<NatsConnection, "request">,
): Promise<{ view: MessageDetail; bytes: Uint8Array } | null> {
  if (nc) {
    // getOptions() carries the client's defaults ($JS.API, 5 s); these only satisfy the optional types.
    const { apiPrefix = "$JS.API", timeout = 5_000 } = jsm.getOptions();
    const read = await readStoredReply(nc, masker, { stream, seq, apiPrefix, timeout });
    if (read) return { view: viewOfMasked(stream, read.meta, read.masked, read.masked.payload!), bytes: read.masked.data };
    // An error reply: the client's own get types it (null when there is no message, a missing stream throws).
  }
  const sm = await jsm.streams.getMessage(stream, { seq });
  if (!sm) return null;
  return maskedView(masker, stream, sm, DETAIL_RENDER);
}

/**
 * The API reply for one stored message, masked: read by a masking thread on its own connection when there is one
 * (a multi-megabyte message then never reaches this thread), else here and masked by the masker. A thread that
 * fails mid-read is not the message's fault: the read is done here instead.
 */
async function readStoredReply(nc: Pick<NatsConnection, "request">, masker: PayloadMasker, get: StoredGet): Promise<MaskedRead | null> {
  if (masker.readsStored) {
    try {
      return await masker.readStored(get, DETAIL_RENDER);
    } catch (err) {
      if (!(err instanceof MaskingThreadError)) throw err;
    }
  }
  const reply = await nc.request(`${get.apiPrefix}.STREAM.MSG.GET.${get.stream}`, JSON.stringify({ seq: get.seq }), {
    timeout: get.timeout,
  });
  return masker.maskReply(reply.data, DETAIL_RENDER);
}

/** The 404 for a sequence without a message: why (past the end, expired, deleted) and the nearest one to open. */
export async function missingMessage(jsm: Jsm, stream: string, seq: number): Promise<NotFoundError> {
  const { state } = await jsm.streams.info(stream);
  const { reason, next } = explainMissingMessage(stream, seq, state);
  return new NotFoundError(reason, { next });
}

export async function getMessageDetail(
  jsm: Pick<JetStreamManager, "streams" | "getOptions">,
  stream: string,
  seq: number,
  masker?: PayloadMasker,
): Promise<MessageDetail | null> {
  return (await readMessage(jsm, stream, seq, masker))?.view ?? null;
}

/** First message at or after `seq` on `subject` (">" = any). The client's type omits next_by_subj; the server has it. */
export function nextMessage(jsm: Jsm, stream: string, seq: number, subject = ">"): Promise<StoredMsg | null> {
  return jsm.streams.getMessage(stream, { seq, next_by_subj: subject } as unknown as { seq: number });
}

/**
 * Smallest sequence whose message was stored at or after `time`, or null when every message is older.
 * Binary search: ~log2(n) gets (20 for a million messages), no scan.
 */
export async function findSeqAtTime(
  jsm: Jsm,
  stream: string,
  bounds: { first_seq: number; last_seq: number },
  time: string,
): Promise<number | null> {
  const t = Date.parse(time);
  let lo = bounds.first_seq;
  let hi = bounds.last_seq + 1;
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const m = await nextMessage(jsm, stream, mid);
    if (!m || m.seq >= hi) hi = mid;
    else if (Date.parse(m.timestamp) >= t) hi = mid;
    else lo = m.seq + 1;
  }
  return lo <= bounds.last_seq ? lo : null;
}

/** Messages at sequences from..to (inclusive) that still exist, in order, fetched in parallel. */
async function getRange(jsm: Jsm, stream: string, from: number, to: number): Promise<StoredMsg[]> {
  if (to < from) return [];
  const seqs = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const got = await mapLimit(seqs, PARALLEL_GETS, (seq) => jsm.streams.getMessage(stream, { seq }));
  return got.filter((m): m is StoredMsg => m !== null);
}

async function forwardPage(
  jsm: Jsm,
  stream: string,
  from: number,
  last: number,
  size: number,
  subject: string | undefined,
): Promise<StoredMsg[]> {
  const out: StoredMsg[] = [];
  let cur = from;
  if (!subject) {
    // Unfiltered: ask for exactly the sequences we need, in parallel; deleted ones leave gaps to refill.
    while (out.length < size && cur <= last) {
      const to = Math.min(last, cur + (size - out.length) - 1);
      out.push(...(await getRange(jsm, stream, cur, to)));
      cur = to + 1;
    }
    return out;
  }
  while (out.length < size && cur <= last) {
    const m = await nextMessage(jsm, stream, cur, subject);
    if (!m) break;
    out.push(m);
    cur = m.seq + 1;
  }
  return out;
}

/**
 * Gets one backward page may spend before it answers with what it found (scan_capped, older_seq where it
 * stopped): each is a round trip to NATS, and a sparse or oddly distributed subject could otherwise cost
 * thousands per request.
 */
export const MAX_BACKWARD_GETS = 2_000;

/** How far a backward page may go: a get budget and the request's signal (a closed tab stops the scan). */
export interface ScanLimit {
  maxGets?: number;
  signal?: AbortSignal;
}

/** Counts gets down; `spent` once the budget is used up or the request went away. */
class GetBudget {
  private left: number;
  constructor(private readonly limit: ScanLimit) {
    this.left = limit.maxGets ?? MAX_BACKWARD_GETS;
  }
  get spent(): boolean {
    return this.left <= 0 || this.limit.signal?.aborted === true;
  }
  take(n = 1): void {
    this.left -= n;
  }
}

type BackwardResult = { msgs: StoredMsg[]; capped: boolean; /** Highest sequence not yet looked at when capped. */ stoppedAt: number };

/**
 * Backward: there is no "previous by subject" on 2.9, so read windows ending at `hi`, doubling their width
 * while they come back short. A window holding more matches than the page still needs is halved towards its
 * top instead of read to the end, so a dense stretch costs about page-size gets per halving, not one per match.
 */
async function backwardPage(
  jsm: Jsm,
  stream: string,
  end: number,
  first: number,
  size: number,
  subject: string | undefined,
  limit: ScanLimit,
): Promise<BackwardResult> {
  const budget = new GetBudget(limit);
  let kept: StoredMsg[] = [];
  let width = size;
  let hi = end;
  while (kept.length < size && hi >= first) {
    if (budget.spent) return { msgs: kept, capped: true, stoppedAt: hi };
    const lo = Math.max(first, hi - width + 1);
    const need = size - kept.length;
    const window = subject
      ? await newestMatches(jsm, stream, lo, hi, subject, need, budget)
      : await plainWindow(jsm, stream, lo, hi, budget);
    if (window === "interrupted") return { msgs: kept, capped: true, stoppedAt: hi };
    if (window === "too_many") {
      width = Math.ceil((hi - lo + 1) / 2);
      continue;
    }
    kept = window.slice(-need).concat(kept);
    hi = lo - 1;
    if (subject) width *= 2;
  }
  return { msgs: kept, capped: false, stoppedAt: hi };
}

async function plainWindow(jsm: Jsm, stream: string, lo: number, hi: number, budget: GetBudget): Promise<StoredMsg[]> {
  budget.take(hi - lo + 1);
  return getRange(jsm, stream, lo, hi);
}

/**
 * The matches in lo..hi, oldest first — or "too_many" as soon as there are more than `need` (the caller
 * narrows the window), or "interrupted" when the budget runs out or the request goes away part way.
 */
async function newestMatches(
  jsm: Jsm,
  stream: string,
  lo: number,
  hi: number,
  subject: string,
  need: number,
  budget: GetBudget,
): Promise<StoredMsg[] | "too_many" | "interrupted"> {
  const out: StoredMsg[] = [];
  for (let cur = lo; cur <= hi;) {
    if (budget.spent) return "interrupted";
    budget.take();
    const m = await nextMessage(jsm, stream, cur, subject);
    if (!m || m.seq > hi) break;
    out.push(m);
    if (out.length > need) return "too_many";
    cur = m.seq + 1;
  }
  return out;
}

export async function browseMessages(
  jsm: Jsm,
  stream: string,
  q: BrowseQuery,
  limit: ScanLimit = {},
  masker: PayloadMasker = inlineServerMasker(),
): Promise<MessagePage> {
  const info = await jsm.streams.info(stream);
  const { first_seq, last_seq, messages: count } = info.state;
  const empty = (from: number): MessagePage => ({
    stream,
    messages: [],
    first_seq,
    last_seq,
    from_seq: from,
    older_seq: null,
    newer_seq: null,
    scan_capped: false,
  });
  if (count === 0) return empty(q.seq ?? first_seq);

  let from: number;
  if (q.start_time !== undefined) {
    // Forward: from the first message at or after the time. Backward: the messages stored before it.
    const at = await findSeqAtTime(jsm, stream, info.state, q.start_time);
    if (q.dir === "backward") from = at === null ? last_seq : at - 1;
    else if (at === null) return { ...empty(last_seq + 1), older_seq: last_seq };
    else from = at;
  } else from = q.seq ?? (q.dir === "forward" ? first_seq : last_seq);
  if (q.dir === "backward" && from < first_seq) return { ...empty(first_seq), newer_seq: first_seq };
  from = Math.max(first_seq, Math.min(from, last_seq));

  let msgs: StoredMsg[];
  let capped = false;
  let stoppedAt = from;
  if (q.dir === "forward") msgs = await forwardPage(jsm, stream, from, last_seq, q.size, q.subject);
  else ({ msgs, capped, stoppedAt } = await backwardPage(jsm, stream, from, first_seq, q.size, q.subject, limit));

  // A capped backward page continues from where it stopped looking, not from its oldest message.
  const lowest = capped ? stoppedAt + 1 : (msgs[0]?.seq ?? from);
  const highest = msgs.at(-1)?.seq ?? from;
  return {
    stream,
    messages: await Promise.all(msgs.map((m) => toMessageView(masker, stream, m))),
    first_seq,
    last_seq,
    from_seq: from,
    older_seq: lowest > first_seq ? lowest - 1 : null,
    newer_seq: highest < last_seq ? highest + 1 : null,
    scan_capped: capped,
  };
}

/** Per-subject message counts, largest first (the server pages subjects_filter responses internally). */
export async function subjectCounts(
  jsm: Jsm,
  stream: string,
  limit = 10_000,
): Promise<{ subjects: { subject: string; messages: number }[]; total: number }> {
  const info = await jsm.streams.info(stream, { subjects_filter: ">" });
  const all = Object.entries(info.state.subjects ?? {}).map(([subject, messages]) => ({ subject, messages }));
  all.sort((a, b) => b.messages - a.messages || a.subject.localeCompare(b.subject));
  return { subjects: all.slice(0, limit), total: all.length };
}
