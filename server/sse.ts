/** Bridges one SSE response to the hub: /api/events. */
import type { Topic } from "../lib/wire/topics";
import type { Hub } from "./hub/hub";
import { getRuntime } from "./runtime";
import { admitLiveStream } from "./scan-admission";

/** The live stream of `topics` for this request, resumed after `lastEventId`; takes a live slot until the client goes. */
export async function liveEventsResponse(request: Request, topics: readonly Topic[], lastEventId: number | undefined): Promise<Response> {
  const release = await admitLiveStream(request);
  const { hub } = await getRuntime();
  return new Response(createSseStream(hub, topics, lastEventId, request.signal, release), { headers: SSE_HEADERS });
}

/**
 * Bytes a client may have queued before the hub stops writing to it (it is skipped, not buffered): a few flushes
 * of slack, small enough that many backed-up clients stay cheap in memory (bench/RESULTS.md, bench:hub).
 */
export const CLIENT_HIGH_WATER_BYTES = 64 * 1024;

/**
 * Why a stream was dropped. Errored rather than closed: close() keeps the queue until a reader drains it, which
 * a client that stopped reading never does. Named AbortError so Next's response pipe treats it as a disconnect
 * and logs nothing. The socket itself stays open until the client goes: Next's pipe is parked on the response's
 * `drain` and cannot be reached from a route handler — so the connection keeps its admission slot until then
 * (see createSseStream), which bounds such connections by the SSE caps.
 */
export function droppedError(reason: string): Error {
  return new DOMException(`busdeck dropped this event stream: ${reason}`, "AbortError");
}

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  // no-transform: otherwise Next gzips the stream and the browser sees nothing until the buffer fills.
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
};

export function createSseStream(
  hub: Hub,
  topics: readonly Topic[],
  lastEventId: number | undefined,
  signal?: AbortSignal,
  onClose?: () => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let unsubscribe: (() => void) | null = null;
  let released = false;
  /** Stops the hub writing to this client: on a hub drop, an abort or a cancel, whichever comes first. */
  const detach = () => {
    const u = unsubscribe;
    unsubscribe = null;
    u?.();
  };
  /** The transport is gone (abort, cancel): free the admission slot too. Runs once. */
  const release = () => {
    detach();
    if (released) return;
    released = true;
    onClose?.();
    signal?.removeEventListener("abort", release);
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let open = true;
        const sub = hub.subscribe(
          {
            write: (chunk) => {
              if (open) controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
            },
            isBackedUp: () => (controller.desiredSize ?? 0) <= 0,
            close: (reason) => {
              open = false;
              detach();
              controller.error(droppedError(reason));
              // A dropped client's socket lingers until it goes (droppedError): it keeps its slot until the abort
              // says so. Without a signal nothing would ever say so.
              if (!signal) release();
            },
          },
          topics,
          lastEventId,
        );
        unsubscribe = () => {
          open = false;
          sub();
        };
        if (signal?.aborted) release();
        else signal?.addEventListener("abort", release);
      },
      cancel: release,
    },
    new ByteLengthQueuingStrategy({ highWaterMark: CLIENT_HIGH_WATER_BYTES }),
  );
}
