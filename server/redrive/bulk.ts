/**
 * Bulk redrive of a consumer's dead letters in a sequence range: one message at a time at `per_second`, each
 * result a JSON line as it happens, stopped when the caller closes the response (cancel).
 */
import "server-only";
import { bulkSummary, deadLetterSeqs, type BulkRedriveEvent, type BulkRedriveRequest } from "../../lib/redrive/bulk";
import { NotFoundError } from "../errors";
import { getRuntime } from "../runtime";
import { admitLiveStream } from "../scan-admission";
import { streamsClients, type StreamsClients } from "../streams/api";
import { admitRedrive, republish } from "./service";

/** Waits `ms`, or less when `signal` aborts first. */
const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

export async function bulkRedriveResponse(
  request: Request,
  stream: string,
  consumer: string,
  body: BulkRedriveRequest,
  user: string,
): Promise<Response> {
  const history = (await getRuntime()).consumerTracker.history(stream, consumer, "24h", Date.now());
  if (!history) throw new NotFoundError(`no consumer "${consumer}" on stream "${stream}" in the latest sample`);
  const seqs = deadLetterSeqs(history.dead_letters, body.from_seq, body.to_seq);
  const clients = await streamsClients();
  await admitRedrive(user, Date.now());
  const release = await admitLiveStream(request);
  const stop = new AbortController();
  request.signal.addEventListener("abort", () => stop.abort(), { once: true });
  const encoder = new TextEncoder();
  const events: BulkRedriveEvent[] = [];
  return new Response(
    new ReadableStream<Uint8Array>({
      async start(controller) {
        const emit = (e: BulkRedriveEvent) => {
          events.push(e);
          if (!stop.signal.aborted) controller.enqueue(encoder.encode(`${JSON.stringify(e)}\n`));
        };
        try {
          emit({ kind: "planned", seqs });
          for (const [i, seq] of seqs.entries()) {
            if (stop.signal.aborted) break;
            if (i > 0) await pause(1000 / body.per_second, stop.signal);
            if (stop.signal.aborted) break;
            emit(await redriveOne(clients, stream, seq, body.n));
          }
          emit(bulkSummary(events, stop.signal.aborted));
          if (!stop.signal.aborted) controller.close();
        } finally {
          release();
        }
      },
      cancel() {
        stop.abort();
      },
    }),
    { headers: { "Content-Type": "application/x-ndjson", "Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no" } },
  );
}

/** One message's line: its result, or why it did not go out. */
async function redriveOne(clients: StreamsClients, stream: string, seq: number, n: number): Promise<BulkRedriveEvent> {
  try {
    return { kind: "message", seq, ok: true, result: await republish(clients, stream, seq, { n }) };
  } catch (err) {
    return { kind: "message", seq, ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
