import { BrowseQuerySchema } from "@/lib/streams/queries";
import { firstValues } from "@/lib/view/search";
import { parseOr400, withStream } from "@/server/streams/api";
import { browseMessages } from "@/server/streams/messages";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One page of a stream: ?seq= | ?start_time=, &subject=, &dir=forward|backward, &size=. */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  return withStream(ctx.params, async (name, clients) => {
    const query = parseOr400(BrowseQuerySchema, firstValues(new URL(request.url).searchParams));
    if (!query.ok) return query.response;
    const { jsm, masker } = await clients();
    return Response.json(await browseMessages(jsm, name, query.data, { signal: request.signal }, masker));
  });
}
