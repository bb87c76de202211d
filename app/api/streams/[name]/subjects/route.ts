import { StreamNameSchema } from "@/lib/stream-queries";
import { natsErrorResponse, parseOr400, streamsClients } from "@/server/streams/api";
import { subjectCounts } from "@/server/streams/messages";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Message count per subject (largest first), from the stream info subjects filter. */
export async function GET(_request: Request, ctx: { params: Promise<{ name: string }> }) {
  const name = parseOr400(StreamNameSchema, decodeURIComponent((await ctx.params).name), "name");
  if (!name.ok) return name.response;
  try {
    const { jsm } = await streamsClients();
    return Response.json(await subjectCounts(jsm, name.data));
  } catch (err) {
    return natsErrorResponse(err, name.data);
  }
}
