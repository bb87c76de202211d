import { isFeedTopic, isStateTopic } from "@/lib/topics";
import { notFound } from "@/server/http";
import { getRuntime } from "@/server/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The hub's current value for a topic: what a page needs before the SSE stream delivers it. */
export async function GET(_request: Request, ctx: { params: Promise<{ topic: string }> }) {
  const { topic } = await ctx.params;
  const { hub } = await getRuntime();
  if (isStateTopic(topic)) return Response.json(hub.getState(topic) ?? null);
  if (isFeedTopic(topic)) return Response.json(hub.getFeed(topic));
  return notFound(`unknown topic "${topic}"`);
}
