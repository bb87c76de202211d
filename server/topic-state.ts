/** /api/topics/[topic]: the hub's current value for a topic, what a page needs before the SSE stream delivers it. */
import "server-only";
import { applyState } from "../lib/wire/live-cache";
import { isFeedTopic, isStateTopic } from "../lib/wire/topics";
import { NotFoundError } from "./errors";
import { getRuntime } from "./runtime";

/**
 * Keyed topics' items are brought up to their meta first, as the browser's cache does (a stuck consumer's row
 * keeps the lag seconds of the sample that last changed it).
 */
export async function topicValue(topic: string): Promise<unknown> {
  const { hub } = await getRuntime();
  if (isStateTopic(topic)) {
    const state = hub.getState(topic);
    return state === undefined ? null : applyState(topic, state);
  }
  if (isFeedTopic(topic)) return hub.getFeed(topic);
  throw new NotFoundError(`unknown topic "${topic}"`);
}
