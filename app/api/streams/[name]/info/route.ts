import { StreamNameSchema } from "@/lib/stream-queries";
import { natsErrorResponse, parseOr400, streamsClients } from "@/server/streams/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * The stream's full configuration and state exactly as JetStream reports them (every field, including those
 * the live summary leaves out: duplicate window, placement, deny_delete, republish…). Fetched on demand.
 */
export async function GET(_request: Request, ctx: { params: Promise<{ name: string }> }) {
  const name = parseOr400(StreamNameSchema, decodeURIComponent((await ctx.params).name), "name");
  if (!name.ok) return name.response;
  try {
    const { jsm } = await streamsClients();
    const si = await jsm.streams.info(name.data);
    return Response.json({ config: si.config, state: si.state, cluster: si.cluster ?? null, mirror: si.mirror ?? null, sources: si.sources ?? [], created: si.created });
  } catch (err) {
    return natsErrorResponse(err, name.data);
  }
}
