/** Bridges one SSE response to the hub. */
import type { Topic } from "../lib/wire/topics";
import type { Hub } from "./hub/hub";

/** Bytes a client may have queued before the hub stops writing to it (it is skipped, not buffered). */
// 64 KiB is a few flushes of slack; it also bounds memory: 1,000 backed-up clients hold at most ~64 MiB
// (256 KiB let the 1,000-client bench grow RSS by 200 MiB while its reader fell behind). Past it a client holds
// at most one more frame here, one chunk in Node's response buffer and the kernel's socket buffer, until the
// hub drops it.
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

/**
 * `release`, holding the request until it runs. undici makes a Request's signal follow the client's through a
 * link only the Request object keeps alive: once the route returns and the Request is collected, the client
 * going away is never seen and its live slot is never freed. Every stream that watches `request.signal` frees
 * its slot through this.
 */
export function releaseHoldingRequest(request: Request, release: () => void): () => void {
  return () => {
    release();
    void request;
  };
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
