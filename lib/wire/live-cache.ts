/** Pure reducers that fold SSE events into the browser's React Query cache. */
import {
  ALL_TOPICS,
  KEYED_TOPICS,
  isKeyedTopic,
  type DashboardEvent,
  type FeedTopic,
  type FeedTopics,
  type KeyedItem,
  type KeyedTopic,
  type StatePatchEvent,
  type StateTopics,
  type Topic,
} from "./topics";

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

/**
 * Applies a keyed topic's patch to the cached value: changed items replaced in place, new ones appended,
 * removed ones dropped. Unchanged items keep their identity, so memoized rows downstream stay put. Without a
 * cached value there is nothing to patch (the hub always sends a full state first on a connection): keep it.
 * Items are found by their position under their key (positionsOf), so a patch costs its own items' keys, not
 * one per cached item (10,000 consumer rows, every second).
 */
export function applyStatePatch<K extends KeyedTopic>(
  prev: StateTopics[K] | null | undefined,
  event: Extract<StatePatchEvent, { topic: K }>,
): StateTopics[K] | null | undefined {
  if (!prev) return prev;
  const keyOf = KEYED_TOPICS[event.topic].key as (item: KeyedItem<K>) => string;
  const positions = positionsOf(prev.items as KeyedItem<K>[], keyOf);
  const removed = new Set(event.remove);
  let items = (prev.items as KeyedItem<K>[]).slice();
  const added: KeyedItem<K>[] = [];
  for (const item of event.upsert as KeyedItem<K>[]) {
    const key = keyOf(item);
    const at = positions.get(key);
    // an item both removed and upserted goes to the end, as a new one would
    if (at === undefined || removed.has(key)) added.push(item);
    else items[at] = item;
  }
  const gone = new Set<number>();
  for (const key of removed) {
    const at = positions.get(key);
    if (at !== undefined) gone.add(at);
  }
  if (gone.size > 0) items = items.filter((_, k) => !gone.has(k));
  items.push(...added);
  const next = settleKeyed(event.topic, { meta: event.meta, items } as StateTopics[K]);
  // the same keys at the same positions: the next patch needs no new index
  if (gone.size === 0 && added.length === 0) positionsByList.set(next.items, positions);
  return next;
}

/** Each cached keyed list's positions by key: built on a list's first patch, handed on while no key moves. */
const positionsByList = new WeakMap<readonly unknown[], Map<string, number>>();

function positionsOf<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, number> {
  let positions = positionsByList.get(items);
  if (positions === undefined) {
    positions = new Map();
    for (let k = 0; k < items.length; k++) positions.set(keyOf(items[k]!), k);
    positionsByList.set(items, positions);
  }
  return positions;
}

/** A state event's value as the cache keeps it: a keyed topic's items brought up to its meta (KEYED_TOPICS settle). */
export function applyState<K extends keyof StateTopics>(topic: K, data: StateTopics[K]): StateTopics[K] {
  return isKeyedTopic(topic) ? (settleKeyed(topic, data as StateTopics[typeof topic]) as StateTopics[K]) : data;
}

function settleKeyed<K extends KeyedTopic>(topic: K, state: StateTopics[K]): StateTopics[K] {
  return (KEYED_TOPICS[topic].settle as (s: StateTopics[K]) => StateTopics[K])(state);
}

export type SseStatus = { state: "connecting" | "open" | "error"; since: number; resumed: boolean };

/** The topics views show data from (the rest: the connection, transport status, notes). */
export const VIEW_DATA_TOPICS: Topic[] = [
  "streams",
  "consumer_rows",
  "outcome_stats",
  "locks",
  "singletons",
  "findings",
  "outcome_rows",
  "lock_events",
  "advisories",
  "failover_timeline",
];

/**
 * Topics a page does NOT need, by path prefix. Exclusion rather than inclusion, so a topic added later is
 * streamed everywhere until someone decides otherwise — a view never silently misses its data.
 */
const UNNEEDED_BY_PATH: [prefix: string, topics: Topic[]][] = [
  ["/streams", ["outcome_rows", "lock_events"]],
  ["/consumers", ["outcome_rows", "lock_events"]],
  ["/outcomes", ["consumer_rows", "lock_events", "advisories"]],
  ["/failover", ["outcome_rows"]],
  // A frozen snapshot renders stored data, never the live stream; the snapshot list and notes pages show no view data.
  ["/s", VIEW_DATA_TOPICS],
  ["/snapshots", VIEW_DATA_TOPICS],
  ["/annotations", VIEW_DATA_TOPICS],
  // The Bus and Alerts pages show their own topics (ONLY_UNDER), none of the JetStream views' data. The
  // Connections page has a rule of its own (the same) so the document's early stream opens with its topic.
  ["/bus/connections", VIEW_DATA_TOPICS],
  ["/bus", VIEW_DATA_TOPICS],
  ["/alerts", VIEW_DATA_TOPICS],
  // The overview shows findings and counts from the state topics; on a busy bus the outcome feed would be most of its wire.
  ["/", ["outcome_rows", "lock_events"]],
];

/**
 * Served to scripts and server code, streamed to no page: views read the slim `consumer_rows` and `outcome_rows`
 * instead.
 */
const UNNEEDED_EVERYWHERE: Topic[] = ["consumers", "outcomes"];

/**
 * Topics one page (or one section) alone shows: streamed under that path and nowhere else. "/" is the overview
 * alone (the findings triage); the bus servers snapshot is for the Bus pages, and the connections (up to 1,000 per
 * server) for the Connections page alone, the subject tap's rates for the Subjects page; the alert log changes with every delivery and is the Alerts page's.
 */
const ONLY_UNDER: Partial<Record<Topic, string>> = {
  findings: "/",
  bus_servers: "/bus",
  bus_connections: "/bus/connections",
  bus_subjects: "/bus/subjects",
  alerts: "/alerts",
};

/** `path` is `prefix` or below it ("/" is the overview alone: no path starts with "//"). */
const isUnder = (path: string | null, prefix: string) => path === prefix || path?.startsWith(`${prefix}/`) === true;

/** The SSE topic list for a page: heavy feeds it never shows are left off the wire. */
export function topicsForPath(path: string | null, all: readonly Topic[]): Topic[] {
  const rule = UNNEEDED_BY_PATH.find(([prefix]) => isUnder(path, prefix));
  const unneeded = [...UNNEEDED_EVERYWHERE, ...(rule?.[1] ?? [])];
  const onItsPage = (t: Topic) => ONLY_UNDER[t] === undefined || isUnder(path, ONLY_UNDER[t]);
  return all.filter((t) => !unneeded.includes(t) && onItsPage(t));
}

/** The SSE URL a page opens: its topics (topicsForPath) on /api/events. */
export function eventsUrlForPath(path: string | null, all: readonly Topic[] = ALL_TOPICS): string {
  return `/api/events?topics=${topicsForPath(path, all).join(",")}`;
}

/** Where the document's boot script leaves the EventSource it opened, for useLiveEvents to adopt. */
export const EARLY_SSE_GLOBAL = "__busdeckEarlySse";
/** An EventSource nobody adopted by then (a page without the live providers) is closed. */
export const EARLY_SSE_ADOPT_WITHIN_MS = 15_000;

/** What the boot script leaves on window: the stream, the messages it received so far, whether it opened. */
export interface EarlySse {
  url: string;
  es: EventSource;
  messages: string[];
  opened: boolean;
}

/**
 * An inline script for the document's head that opens the page's EventSource while the bundles still load and
 * hydrate, so the hub's first states (thousands of consumer rows on a large bus) are built, sent and received
 * meanwhile. It buffers messages until useLiveEvents adopts the stream. The URL rules are those of
 * eventsUrlForPath, resolved here per prefix; only the prefix match runs in the browser. A constant, never data.
 */
export function earlyEventSourceScript(all: readonly Topic[] = ALL_TOPICS): string {
  const rules = UNNEEDED_BY_PATH.map(([prefix]) => [prefix, eventsUrlForPath(prefix, all)]);
  const g = `window.${EARLY_SSE_GLOBAL}`;
  return (
    `try{(function(){var p=location.pathname,u=${JSON.stringify(eventsUrlForPath(null, all))},r=${JSON.stringify(rules)};` +
    `for(var i=0;i<r.length;i++)if(p===r[i][0]||p.indexOf(r[i][0]+"/")===0){u=r[i][1];break}` +
    `var es=new EventSource(u),s={url:u,es:es,messages:[],opened:false};` +
    `es.onopen=function(){s.opened=true};es.onmessage=function(m){s.messages.push(m.data)};${g}=s;` +
    `setTimeout(function(){if(${g}===s){es.close();delete ${g}}},${EARLY_SSE_ADOPT_WITHIN_MS})})()}catch(e){}`
  );
}
