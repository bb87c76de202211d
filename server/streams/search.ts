/**
 * Payload search: scans a stream forward from a start sequence with an ordered consumer (one ephemeral,
 * unacknowledged consumer, deleted when the scan ends or is cancelled), testing each masked payload for a
 * substring or a parsed field predicate (lib/streams/predicate: no code execution). Yields progress, matches and a final
 * summary; stops at the scan limit, the match limit, the end of the stream, or the abort signal.
 */
import "server-only";
import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import type { SearchEvent } from "../../lib/streams/messages";
import { parseJsonPayload } from "../../lib/streams/payload";
import { evaluatePredicate, formatPath, parsePredicate, predicatePaths } from "../../lib/streams/predicate";
import { isSensitiveName } from "../../lib/security/redaction";
import type { SearchQuery } from "../../lib/streams/queries";
import { serverRedaction, type CompiledRedaction } from "../redaction";
import { LIST_RENDER, listViewOfMasked, maskStored } from "./messages";
import { inlineMasker, type PayloadMasker } from "./payload-masker";
import { MaskedFieldPredicateError } from "../errors";

const BATCH = 512;
const PROGRESS_EVERY_MS = 250;

/**
 * A test over a message's MASKED payload, so a search selects exactly what it shows and can't be used to guess a
 * masked value. Throws PredicateSyntaxError for a bad predicate and MaskedFieldPredicateError for one that
 * names a masked field, before any NATS work.
 */
export function compileMatcher(
  q: Pick<SearchQuery, "q" | "mode">,
  redaction: CompiledRedaction = serverRedaction(),
): (masked: Uint8Array) => boolean {
  if (q.mode === "predicate") {
    const tree = parsePredicate(q.q);
    const masked = predicatePaths(tree).find((path) =>
      path.some((seg) => typeof seg === "string" && isSensitiveName(seg, redaction.fields)),
    );
    if (masked) throw new MaskedFieldPredicateError(formatPath(masked));
    return (data) => evaluatePredicate(tree, parseJsonPayload(data));
  }
  // Substring over the bytes decoded leniently, so text inside a mostly-binary payload still matches.
  const needle = q.q;
  const decoder = new TextDecoder("utf-8");
  return (data) => decoder.decode(data).includes(needle);
}

export async function* searchStream(
  js: JetStreamClient,
  jsm: Pick<JetStreamManager, "streams">,
  stream: string,
  q: SearchQuery,
  signal: AbortSignal,
  now: () => number = Date.now,
  masker?: PayloadMasker,
): AsyncGenerator<SearchEvent> {
  const redaction = serverRedaction();
  const masking = masker ?? inlineMasker(redaction);
  const matches = compileMatcher(q, redaction);
  const info = await jsm.streams.info(stream);
  const startSeq = Math.max(q.from_seq ?? info.state.first_seq, info.state.first_seq);
  const lastSeq = info.state.last_seq;
  let scanned = 0;
  let matched = 0;
  let atSeq = startSeq;
  if (info.state.messages === 0 || startSeq > lastSeq) {
    yield { type: "done", scanned, matched, at_seq: atSeq, reason: "end_of_stream" };
    return;
  }
  const consumer = await js.consumers.get(stream, {
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: startSeq,
    ...(q.subject ? { filter_subjects: q.subject } : {}),
  });
  let lastProgress = now();
  try {
    for (;;) {
      const batch = await consumer.fetch({ max_messages: Math.min(BATCH, q.scan_limit - scanned), expires: 1_000 });
      let got = 0;
      let pending = 1;
      for await (const m of batch) {
        got++;
        scanned++;
        atSeq = m.seq;
        pending = m.info.pending;
        const stored = { seq: m.seq, subject: m.subject, timestamp: m.timestamp, data: m.data, header: m.headers };
        const meta = { seq: m.seq, subject: m.subject, timestamp: m.timestamp, size: m.data.length };
        // A payload masked on a thread is rendered there too, whether it matches or not: not on this thread.
        const masked = await maskStored(masking, stored, masking.offThread(meta.size) ? LIST_RENDER : null);
        if (matches(masked.data)) {
          matched++;
          yield { type: "match", message: listViewOfMasked(stream, meta, masked) };
        }
        if (now() - lastProgress >= PROGRESS_EVERY_MS) {
          lastProgress = now();
          yield { type: "progress", scanned, matched, at_seq: atSeq, last_seq: lastSeq };
        }
        const reason = signal.aborted
          ? null
          : matched >= q.max_matches
            ? "max_matches"
            : scanned >= q.scan_limit
              ? "scan_limit"
              : pending === 0 || m.seq >= lastSeq
                ? "end_of_stream"
                : null;
        if (signal.aborted) {
          batch.stop();
          return;
        }
        if (reason) {
          batch.stop();
          yield { type: "done", scanned, matched, at_seq: atSeq, reason };
          return;
        }
      }
      if (got === 0) {
        yield { type: "done", scanned, matched, at_seq: atSeq, reason: "end_of_stream" };
        return;
      }
    }
  } finally {
    // Don't wait for the server's inactive threshold: the scan is over, the consumer should go now.
    await consumer.delete().catch(() => undefined);
  }
}
