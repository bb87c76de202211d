/**
 * Bounded reads of a JetStream stream through a short-lived ephemeral consumer: the consumer's info tells
 * how many matching messages there are before a single one is read, so a scan knows when it is done
 * instead of waiting for a timeout — which is also what makes "no messages" cheap.
 */
import { nanos } from "@nats-io/nats-core";
import { AckPolicy, DeliverPolicy, type JetStreamClient, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";

export interface ScanOptions {
  stream: string;
  filterSubject?: string;
  /** From a sequence, from a time, or only the newest message of each subject (a KV bucket's keys). */
  start: { seq: number } | { time: string } | { lastPerSubject: true };
  /** Deliver headers only (and the payload's size in Nats-Msg-Size), not payloads. */
  headersOnly?: boolean;
  /** Stops the scan (as not complete) when the request goes away. */
  signal?: AbortSignal;
  /** Stop after the message with this sequence (inclusive). */
  untilSeq?: number;
  /** Stop after this many messages. */
  max?: number;
  timeoutMs?: number;
  /** Return false to stop early. */
  onMsg: (m: JsMsg) => boolean | void;
}

export interface ScanResult {
  delivered: number;
  /** False when the scan stopped on `max` or the timeout rather than running out of messages. */
  complete: boolean;
}

const CONSUMER_TTL_MS = 30_000;

const windowWidth = (o: Pick<ScanOptions, "start" | "untilSeq">) =>
  "seq" in o.start && o.untilSeq !== undefined ? o.untilSeq - o.start.seq + 1 : Infinity;

function deliverFrom(start: ScanOptions["start"]) {
  if ("seq" in start) return { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: Math.max(1, start.seq) };
  if ("time" in start) return { deliver_policy: DeliverPolicy.StartTime, opt_start_time: start.time };
  return { deliver_policy: DeliverPolicy.LastPerSubject };
}

async function addScanConsumer(jsm: JetStreamManager, o: Pick<ScanOptions, "stream" | "filterSubject" | "start" | "headersOnly">) {
  return jsm.consumers.add(o.stream, {
    ack_policy: AckPolicy.None,
    ...deliverFrom(o.start),
    ...(o.headersOnly ? { headers_only: true } : {}),
    ...(o.filterSubject ? { filter_subject: o.filterSubject } : {}),
    mem_storage: true,
    num_replicas: 1,
    // Cleans up after a scan whose process died mid-way.
    inactive_threshold: nanos(CONSUMER_TTL_MS),
  });
}

/**
 * The first stream sequence stored at or after `time` (last_seq + 1 when none is). The server computes it
 * when the consumer is created (delivered.stream_seq = start - 1), so nothing is read.
 */
export async function seqAtOrAfter(jsm: JetStreamManager, stream: string, time: string): Promise<number> {
  const ci = await addScanConsumer(jsm, { stream, start: { time } });
  void jsm.consumers.delete(stream, ci.name).catch(() => undefined);
  return ci.delivered.stream_seq + 1;
}

export async function scanStream(js: JetStreamClient, jsm: JetStreamManager, o: ScanOptions): Promise<ScanResult> {
  const ci = await addScanConsumer(jsm, o);
  const cleanup = () => void jsm.consumers.delete(o.stream, ci.name).catch(() => undefined);
  const available = ci.num_pending;
  const want = Math.min(available, o.max ?? Infinity);
  if (want === 0 || (o.untilSeq !== undefined && ci.delivered.stream_seq >= o.untilSeq)) {
    cleanup();
    return { delivered: 0, complete: true };
  }
  const consumer = await js.consumers.get(o.stream, ci.name);
  let delivered = 0;
  let complete = false;
  let finished = false;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const finish = () => {
    finished = true;
    resolveDone();
  };
  const messages = await consumer.consume({
    // A window of sequences holds at most its width of messages: don't pull the rest of the stream behind it.
    max_messages: Math.min(Math.max(Math.min(want, windowWidth(o)), 100), 10_000),
    callback: (m) => {
      // Messages keep arriving until the consumer is closed: none past the end or after finishing reach onMsg.
      if (delivered >= want || finished) return;
      if (o.untilSeq !== undefined && m.seq > o.untilSeq) {
        // Past the end (the last sequences did not match the subject filter): the range is done.
        complete = true;
        finish();
        return;
      }
      delivered++;
      const keepGoing = o.onMsg(m) !== false;
      const reachedEnd = (o.untilSeq !== undefined && m.seq >= o.untilSeq) || delivered >= available;
      if (reachedEnd || !keepGoing || delivered >= want) {
        complete = reachedEnd;
        finish();
      }
    },
  });
  const timer = setTimeout(finish, o.timeoutMs ?? 15_000);
  o.signal?.addEventListener("abort", finish, { once: true });
  if (o.signal?.aborted) finish();
  await done;
  clearTimeout(timer);
  o.signal?.removeEventListener("abort", finish);
  await messages.close().catch(() => undefined);
  cleanup();
  return { delivered, complete };
}
