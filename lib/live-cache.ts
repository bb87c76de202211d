/** Pure reducers that fold SSE events into the browser's React Query cache. */
import type { DashboardEvent, FeedTopic, FeedTopics, Topic } from "./topics";

export const queryKeys = {
  live: (topic: Topic) => ["live", topic] as const,
  sse: () => ["live", "_sse"] as const,
};

/** Browser-side cap per feed: enough for a dense feed without unbounded growth on a long-open tab. */
export const FEED_CACHE_LIMIT = 2_000;

/** Feeds are cached newest first, as views show them. */
export function applyFeedEvent<K extends FeedTopic>(
  prev: FeedTopics[K][] | undefined,
  event: Extract<DashboardEvent, { type: "feed_append" | "feed_reset" }>,
  limit = FEED_CACHE_LIMIT,
): FeedTopics[K][] {
  const incoming = (event.items as FeedTopics[K][]).slice().reverse();
  if (event.type === "feed_reset" || !prev) return incoming.slice(0, limit);
  return incoming.concat(prev).slice(0, limit);
}

export type SseStatus = { state: "connecting" | "open" | "error"; since: number; resumed: boolean };

/**
 * Topics a page does NOT need, by path prefix. Exclusion rather than inclusion, so a topic added later is
 * streamed everywhere until someone decides otherwise — a view never silently misses its data.
 */
const UNNEEDED_BY_PATH: [prefix: string, topics: Topic[]][] = [
  ["/streams", ["outcomes", "lock_events"]],
  ["/consumers", ["outcomes", "lock_events"]],
  ["/outcomes", ["consumers", "lock_events", "advisories"]],
  ["/failover", ["outcomes"]],
];

/** The SSE topic list for a page: heavy feeds it never shows are left off the wire. */
export function topicsForPath(path: string | null, all: readonly Topic[]): Topic[] {
  const rule = UNNEEDED_BY_PATH.find(([prefix]) => path === prefix || path?.startsWith(`${prefix}/`));
  return rule ? all.filter((t) => !rule[1].includes(t)) : [...all];
}
