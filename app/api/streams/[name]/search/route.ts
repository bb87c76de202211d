import { PredicateSyntaxError } from "@/lib/predicate";
import { SearchQuerySchema, StreamNameSchema, firstValues } from "@/lib/stream-queries";
import { badRequest } from "@/server/http";
import { SSE_HEADERS } from "@/server/sse";
import { natsErrorResponse, parseOr400, streamsClients } from "@/server/streams/api";
import { compileMatcher, searchStream } from "@/server/streams/search";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Payload search as server-sent events: `progress`, `match`, then one `done` (or `error`). Closing the
 * EventSource cancels the scan and deletes its consumer.
 */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  const name = parseOr400(StreamNameSchema, decodeURIComponent((await ctx.params).name), "name");
  if (!name.ok) return name.response;
  const query = parseOr400(SearchQuerySchema, firstValues(new URL(request.url).searchParams));
  if (!query.ok) return query.response;
  try {
    compileMatcher(query.data);
  } catch (err) {
    if (err instanceof PredicateSyntaxError) return badRequest(`q: ${err.message}`);
    throw err;
  }
  let clients;
  try {
    clients = await streamsClients();
    await clients.jsm.streams.info(name.data);
  } catch (err) {
    return natsErrorResponse(err, name.data);
  }
  const { js, jsm } = clients;
  const abort = new AbortController();
  const stop = () => abort.abort();
  request.signal.addEventListener("abort", stop);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (data: unknown) => controller.enqueue(encoder.encode(`data: ${JSON.stringify(data)}\n\n`));
      controller.enqueue(encoder.encode("retry: 600000\n\n"));
      try {
        for await (const event of searchStream(js, jsm, name.data, query.data, abort.signal)) {
          if (abort.signal.aborted) break;
          send(event);
        }
      } catch (err) {
        if (!abort.signal.aborted) send({ type: "error", message: err instanceof Error ? err.message : String(err) });
      } finally {
        request.signal.removeEventListener("abort", stop);
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
