import { TailQuerySchema } from "@/lib/streams/queries";
import { firstValues } from "@/lib/view/search";
import { admitLiveStream } from "@/server/scan-admission";
import { parseOr400, withStream } from "@/server/streams/api";
import { eventStreamResponse } from "@/server/streams/event-stream";
import { tailStream } from "@/server/streams/tail";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * New messages of a stream (?subject= filter, ?from_seq= to resume) as server-sent events. Takes a live slot
 * like /api/events; a client that stops reading is dropped and the tail's consumer deleted.
 */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  return withStream(ctx.params, async (name, clients) => {
    const query = parseOr400(TailQuerySchema, firstValues(new URL(request.url).searchParams));
    if (!query.ok) return query.response;
    const { js, jsm, masker } = await clients();
    await jsm.streams.info(name); // a missing stream is a 404 before the stream starts, not an error event
    const live = await admitLiveStream(request);
    if (!live.ok) return live.response;
    return eventStreamResponse(request, (signal) => tailStream(js, name, query.data, signal, masker), { onGone: live.release });
  });
}
