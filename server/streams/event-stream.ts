/**
 * Serves an async generator as server-sent events: one `data:` frame per item, a ping comment while idle, an
 * `error` item if the generator throws. Items are pulled only while the client's queue is below
 * CLIENT_HIGH_WATER_BYTES, so a client that stops reading stops the walk instead of growing server memory;
 * one that stays backed up for STALL_MS is dropped, like a stalled /api/events client (server/hub/hub.ts).
 * The generator's signal aborts when the walk ends for any reason (client gone, dropped, finished), so its
 * `finally` can delete NATS consumers.
 */
import "server-only";
import { CLIENT_HIGH_WATER_BYTES, SSE_HEADERS, droppedError } from "../sse";

const PING_MS = 15_000;
/** A client whose queue stays full this long is dropped: the hub's stall timeout for /api/events. */
export const STALL_MS = 15_000;
const STALL_CHECK_MS = 1_000;

export interface EventStreamOptions {
  /** Runs once when the walk ends (finished, failed, client gone or dropped), e.g. to release a scan slot. */
  onWalkEnd?: () => void;
  /**
   * Runs once when the connection is done with: the request aborted, the stream cancelled, or it finished.
   * A dropped client keeps it until it goes, as on /api/events (its socket lingers until then; see droppedError).
   */
  onGone?: () => void;
  stallMs?: number;
  stallCheckMs?: number;
  pingMs?: number;
}

export function eventStreamResponse(
  request: Request,
  run: (signal: AbortSignal) => AsyncGenerator<unknown>,
  opts: EventStreamOptions = {},
): Response {
  return new Response(eventStream(request.signal, run, opts), { headers: SSE_HEADERS });
}

export function eventStream(
  clientSignal: AbortSignal,
  run: (signal: AbortSignal) => AsyncGenerator<unknown>,
  opts: EventStreamOptions = {},
): ReadableStream<Uint8Array> {
  const { stallMs = STALL_MS, stallCheckMs = STALL_CHECK_MS, pingMs = PING_MS } = opts;
  const walk = new AbortController();
  const items = run(walk.signal);
  const encoder = new TextEncoder();
  let open = true;
  let walking = true;
  let gone = false;
  const timers: ReturnType<typeof setInterval>[] = [];

  /** Stops the generator (its finally deletes consumers) and reports the walk's end. Runs once. */
  const endWalk = () => {
    if (!walking) return;
    walking = false;
    walk.abort();
    void items.return(undefined).catch(() => undefined);
    opts.onWalkEnd?.();
  };
  const release = () => {
    if (gone) return;
    gone = true;
    clientSignal.removeEventListener("abort", onClientGone);
    opts.onGone?.();
  };
  /** No more writes from here on; the walk ends too. */
  const shut = () => {
    open = false;
    timers.forEach(clearInterval);
    endWalk();
  };
  function onClientGone() {
    shut();
    release();
  }

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const backedUp = () => (controller.desiredSize ?? 0) <= 0;
        // No automatic reconnect: a finished scan must not restart; the page decides.
        controller.enqueue(encoder.encode("retry: 86400000\n\n"));
        timers.push(setInterval(() => open && !backedUp() && controller.enqueue(encoder.encode(": ping\n\n")), pingMs));
        let backedUpSince: number | null = null;
        timers.push(
          setInterval(() => {
            if (!open) return;
            if (!backedUp()) return void (backedUpSince = null);
            backedUpSince ??= Date.now();
            if (Date.now() - backedUpSince <= stallMs) return;
            shut();
            controller.error(droppedError("stalled: the client stopped reading"));
          }, stallCheckMs),
        );
        if (clientSignal.aborted) onClientGone();
        else clientSignal.addEventListener("abort", onClientGone);
      },
      // Called only while the queue is below the high-water mark: a client that stops reading stops the walk.
      async pull(controller) {
        if (!open) return;
        const frame = await nextFrame(items);
        if (!open) return;
        if (frame.text) controller.enqueue(encoder.encode(frame.text));
        if (!frame.last) return;
        shut();
        controller.close();
        release();
      },
      cancel: onClientGone,
    },
    new ByteLengthQueuingStrategy({ highWaterMark: CLIENT_HIGH_WATER_BYTES }),
  );
}

/** The generator's next item as a frame; `last` when it finished, or failed (then the frame is an `error` item). */
async function nextFrame(items: AsyncGenerator<unknown>): Promise<{ text?: string; last: boolean }> {
  try {
    const next = await items.next();
    return next.done ? { last: true } : { text: `data: ${JSON.stringify(next.value)}\n\n`, last: false };
  } catch (err) {
    return {
      text: `data: ${JSON.stringify({ type: "error", message: err instanceof Error ? err.message : String(err) })}\n\n`,
      last: true,
    };
  }
}
