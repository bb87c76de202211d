import { withStream } from "@/server/streams/api";
import { subjectCounts } from "@/server/streams/messages";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Message count per subject (largest first), from the stream info subjects filter. */
export async function GET(_request: Request, ctx: { params: Promise<{ name: string }> }) {
  return withStream(ctx.params, async (name, clients) => Response.json(await subjectCounts((await clients()).jsm, name)));
}
