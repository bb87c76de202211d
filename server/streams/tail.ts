/**
 * Live tail of a stream (optionally one subject filter): an ordered consumer from the next new message, or
 * from `from_seq` when resuming after a pause so nothing is skipped. Deleted when the client goes away.
 */
import "server-only";
import { DeliverPolicy, type JetStreamClient } from "@nats-io/jetstream";
import type { MessageView } from "../../lib/streams/messages";
import type { TailQuery } from "../../lib/streams/queries";
import { serverRedaction } from "../redaction";
import { toMessageView } from "./messages";
import { inlineMasker, type PayloadMasker } from "./payload-masker";

/** A resume that finds more than this backlog skips ahead rather than replaying a flood into the browser. */
const MAX_CATCH_UP = 500;

export async function* tailStream(
  js: JetStreamClient,
  stream: string,
  q: TailQuery,
  signal: AbortSignal,
  masker: PayloadMasker = inlineMasker(serverRedaction()),
): AsyncGenerator<{ type: "message"; message: MessageView } | { type: "skipped"; count: number }> {
  const consumer = await js.consumers.get(stream, {
    ...(q.from_seq ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: q.from_seq } : { deliver_policy: DeliverPolicy.New }),
    ...(q.subject ? { filter_subjects: q.subject } : {}),
  });
  const messages = await consumer.consume({ max_messages: 100 });
  const onAbort = () => messages.stop();
  signal.addEventListener("abort", onAbort);
  if (signal.aborted) onAbort(); // the client went away while the consumer was being set up
  try {
    let first = true;
    for await (const m of messages) {
      if (signal.aborted) break;
      if (first && m.info.pending > MAX_CATCH_UP) {
        // Too far behind after a long pause: report the gap and restart from new messages.
        yield { type: "skipped", count: m.info.pending + 1 };
        messages.stop();
        yield* tailStream(js, stream, { subject: q.subject }, signal, masker);
        return;
      }
      first = false;
      yield {
        type: "message",
        message: await toMessageView(masker, stream, {
          seq: m.seq,
          subject: m.subject,
          timestamp: m.timestamp,
          data: m.data,
          header: m.headers,
        }),
      };
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    messages.stop();
    await consumer.delete().catch(() => undefined);
  }
}
