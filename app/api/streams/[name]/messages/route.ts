import { BrowseQuerySchema, StreamNameSchema, firstValues } from "@/lib/stream-queries";
import { natsErrorResponse, parseOr400, streamsClients } from "@/server/streams/api";
import { browseMessages } from "@/server/streams/messages";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One page of a stream: ?seq= | ?start_time=, &subject=, &dir=forward|backward, &size=. */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  const name = parseOr400(StreamNameSchema, decodeURIComponent((await ctx.params).name), "name");
  if (!name.ok) return name.response;
  const query = parseOr400(BrowseQuerySchema, firstValues(new URL(request.url).searchParams));
  if (!query.ok) return query.response;
  try {
    const { jsm } = await streamsClients();
    return Response.json(await browseMessages(jsm, name.data, query.data));
  } catch (err) {
    return natsErrorResponse(err, name.data);
  }
}
