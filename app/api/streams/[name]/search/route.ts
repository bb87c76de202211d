import { PredicateSyntaxError } from "@/lib/streams/predicate";
import { SearchQuerySchema, StreamNameSchema } from "@/lib/streams/queries";
import { firstValues } from "@/lib/view/search";
import { badRequest, decodeParam } from "@/server/http";
import { natsErrorResponse, parseOr400, streamsClients } from "@/server/streams/api";
import { eventStreamResponse } from "@/server/streams/event-stream";
import { compileMatcher, MaskedFieldPredicateError, searchStream } from "@/server/streams/search";
import { admitLiveStream, admitScan } from "@/server/scan-admission";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Payload search as server-sent events: `progress`, `match`, then one `done` (or `error`). Closing the
 * EventSource cancels the scan and deletes its consumer. Takes a live slot (as /api/events) and a scan slot;
 * a client that stops reading is dropped.
 */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  const raw = decodeParam("name", (await ctx.params).name);
  if (!raw.ok) return raw.response;
  const name = parseOr400(StreamNameSchema, raw.value, "name");
  if (!name.ok) return name.response;
  const query = parseOr400(SearchQuerySchema, firstValues(new URL(request.url).searchParams));
  if (!query.ok) return query.response;
  try {
    compileMatcher(query.data);
  } catch (err) {
    if (err instanceof PredicateSyntaxError || err instanceof MaskedFieldPredicateError) return badRequest(`q: ${err.message}`);
    throw err;
  }
  const live = await admitLiveStream(request);
  if (!live.ok) return live.response;
  const scan = await admitScan(request);
  if (!scan.ok) {
    live.release();
    return scan.response;
  }
  try {
    const { js, jsm, masker } = await streamsClients();
    await jsm.streams.info(name.data); // a missing stream is a 404 before the stream starts, not an error event
    return eventStreamResponse(request, (signal) => searchStream(js, jsm, name.data, query.data, signal, undefined, masker), {
      onWalkEnd: scan.release,
      onGone: live.release,
    });
  } catch (err) {
    scan.release();
    live.release();
    return natsErrorResponse(err, name.data);
  }
}
