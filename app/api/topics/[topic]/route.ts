import { applyState } from "@/lib/wire/live-cache";
import { isFeedTopic, isStateTopic } from "@/lib/wire/topics";
import { decodeParam, notFound } from "@/server/http";
import { getRuntime } from "@/server/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * The hub's current value for a topic: what a page needs before the SSE stream delivers it. Keyed topics' items
 * brought up to their meta first, as the browser's cache does (a stuck consumer's row keeps the lag seconds of
 * the sample that last changed it).
 */
export async function GET(_request: Request, ctx: { params: Promise<{ topic: string }> }) {
  const decoded = decodeParam("topic", (await ctx.params).topic);
  if (!decoded.ok) return decoded.response;
  const topic = decoded.value;
  const { hub } = await getRuntime();
  if (isStateTopic(topic)) {
    const state = hub.getState(topic);
    return Response.json(state === undefined ? null : applyState(topic, state));
  }
  if (isFeedTopic(topic)) return Response.json(hub.getFeed(topic));
  return notFound(`unknown topic "${topic}"`);
}
