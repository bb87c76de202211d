import { withStream } from "@/server/streams/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * The stream's full configuration and state exactly as JetStream reports them (every field, including those
 * the live summary leaves out: duplicate window, placement, deny_delete, republish…). Fetched on demand.
 */
export async function GET(_request: Request, ctx: { params: Promise<{ name: string }> }) {
  return withStream(ctx.params, async (name, clients) => {
    const si = await (await clients()).jsm.streams.info(name);
    return Response.json({
      config: si.config,
      state: si.state,
      cluster: si.cluster ?? null,
      mirror: si.mirror ?? null,
      sources: si.sources ?? [],
      created: si.created,
    });
  });
}
