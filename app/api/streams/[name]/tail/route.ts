import { StreamNameSchema, TailQuerySchema, firstValues } from "@/lib/stream-queries";
import { natsErrorResponse, parseOr400, streamsClients } from "@/server/streams/api";
import { eventStreamResponse } from "@/server/streams/event-stream";
import { tailStream } from "@/server/streams/tail";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** New messages of a stream (?subject= filter, ?from_seq= to resume) as server-sent events. */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  const name = parseOr400(StreamNameSchema, decodeURIComponent((await ctx.params).name), "name");
  if (!name.ok) return name.response;
  const query = parseOr400(TailQuerySchema, firstValues(new URL(request.url).searchParams));
  if (!query.ok) return query.response;
  try {
    const { js, jsm } = await streamsClients();
    await jsm.streams.info(name.data);
    return eventStreamResponse(request, (signal) => tailStream(js, name.data, query.data, signal));
  } catch (err) {
    return natsErrorResponse(err, name.data);
  }
}
