/**
 * Serves an async generator as server-sent events: one `data:` frame per item, a ping comment while idle, an
 * `error` item if the generator throws. The generator's signal aborts when the client goes away (request
 * abort or stream cancel, whichever comes first), so its `finally` can clean up NATS consumers.
 */
import "server-only";
import { SSE_HEADERS } from "../sse";

const PING_MS = 15_000;

export function eventStreamResponse(
  request: Request,
  run: (signal: AbortSignal) => AsyncGenerator<unknown>,
  /** Runs once when the stream ends for any reason, e.g. to release a scan slot. */
  onClose?: () => void,
): Response {
  const abort = new AbortController();
  const stop = () => abort.abort();
  request.signal.addEventListener("abort", stop);
  const encoder = new TextEncoder();
  let ping: ReturnType<typeof setInterval> | undefined;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const write = (s: string) => {
        if (!abort.signal.aborted) controller.enqueue(encoder.encode(s));
      };
      // No automatic reconnect: a finished scan must not restart; the page decides.
      write("retry: 86400000\n\n");
      ping = setInterval(() => write(": ping\n\n"), PING_MS);
      try {
        for await (const item of run(abort.signal)) {
          if (abort.signal.aborted) break;
          write(`data: ${JSON.stringify(item)}\n\n`);
        }
      } catch (err) {
        write(`data: ${JSON.stringify({ type: "error", message: err instanceof Error ? err.message : String(err) })}\n\n`);
      } finally {
        clearInterval(ping);
        request.signal.removeEventListener("abort", stop);
        onClose?.();
        try {
          controller.close();
        } catch {
          // the client went away first
        }
      }
    },
    cancel: stop,
  });
  return new Response(body, { headers: SSE_HEADERS });
}
