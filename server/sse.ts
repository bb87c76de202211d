/** Bridges one SSE response to the hub. */
import type { Topic } from "../lib/topics";
import type { Hub } from "./hub";

/** Bytes a client may have queued before the hub stops writing to it (it is skipped, not buffered). */
// 64 KiB is a few flushes of slack; it also bounds memory: 1,000 backed-up clients hold at most ~64 MiB
// (256 KiB let the 1,000-client bench grow RSS by 200 MiB while its reader fell behind). Past it a client holds
// at most one more frame here, one chunk in Node's response buffer and the kernel's socket buffer, until the
// hub drops it.
export const CLIENT_HIGH_WATER_BYTES = 64 * 1024;

/**
 * Why a stream was dropped. Named AbortError so Next's response pipe treats it as a disconnect (no error log)
 * and destroys the socket: a graceful close() would wait for the queue to drain, which a client that stopped
 * reading never does — the soak found every dropped client's connection still open with ~4 MB in the kernel's
 * send buffer and its queue still in memory.
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
  let cleanup: (() => void) | null = null;
  const release = () => {
    // Called from abort, cancel or a hub drop: whichever comes first; the rest are no-ops.
    const c = cleanup;
    cleanup = null;
    c?.();
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let open = true;
        const unsubscribe = hub.subscribe(
          {
            write: (chunk) => {
              if (open) controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
            },
            isBackedUp: () => (controller.desiredSize ?? 0) <= 0,
            close: (reason) => {
              open = false;
              release();
              try {
                controller.error(droppedError(reason));
              } catch {
                // already closed by the client
              }
            },
          },
          topics,
          lastEventId,
        );
        cleanup = () => {
          open = false;
          unsubscribe();
          onClose?.();
          signal?.removeEventListener("abort", release);
        };
        signal?.addEventListener("abort", release);
      },
      cancel: release,
    },
    new ByteLengthQueuingStrategy({ highWaterMark: CLIENT_HIGH_WATER_BYTES }),
  );
}
