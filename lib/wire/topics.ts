/**
 * The hub's topics and the events that carry them over SSE. One set of wire types for server and browser.
 * State topics hold a whole snapshot that replaces the last one (coalescable); feed topics append items.
 * Keyed state topics are state topics whose value is a keyed list: after the first full `state`, a client
 * gets `state_patch` events with only the items that changed or went since the version it holds.
 */
import type { Advisory } from "../consumers/advisories";
import type { AlertsState } from "../alerts/deliveries";
import type { Annotation } from "../review/annotations";
import type { ConnectionState } from "./connection";
import {
  consumerRowCodec,
  consumerRowKey,
  sameConsumerRowKey,
  currentLagSeconds,
  sameConsumerRow,
  settledLagSlot,
  type ConsumerRow,
  type ConsumerRowsMeta,
  type ConsumersSnapshot,
} from "../consumers/types";
import type { SingletonsSnapshot, TimelineEntry } from "../failover/timeline";
import type { FindingsSnapshot } from "../findings/finding";
import type { LockEvent, LocksSnapshot } from "../failover/locks";
import type { OutcomeRecord, OutcomeRow, OutcomeStats } from "../outcomes/outcome";
import { outcomeRowCodec } from "../outcomes/row-codec";
import { packItems, unpackItems, type ItemCodec, type ListKeys, type PackedItems } from "./packed-items";
import type { StreamsSnapshot } from "../streams/types";
import type { BusServersSnapshot } from "../bus/servers";
import type { BusSubjectsSnapshot } from "../bus/subject-tap";
import { connectionItemCodec, connectionItemKey, sameConnectionItemKey, type BusConnectionsTopic } from "../bus/connections-topic";
import { sameConnectionRow } from "../bus/connections";

/** A keyed state topic's whole value: its envelope plus every item (order carries no meaning). */
/** A tuple slot and, for one state's meta, its settled value per item (undefined: as packed). */
export interface SettledSlot<M, T> {
  at: number;
  settler: (meta: M) => (item: T) => number | null | undefined;
}

export interface KeyedState<M, T> {
  meta: M;
  items: T[];
}

export interface StateTopics {
  connection: ConnectionState;
  streams: StreamsSnapshot;
  /** Every consumer in full. Server-side readers and /api/topics only: no page streams it (see consumer_rows). */
  consumers: ConsumersSnapshot;
  /** The consumer list views' columns, keyed by stream/consumer: what pages stream. */
  consumer_rows: KeyedState<ConsumerRowsMeta, ConsumerRow>;
  outcome_stats: OutcomeStats;
  locks: LocksSnapshot;
  /** Failover view: classified per-singleton state (holder, lease figures, candidates). */
  singletons: SingletonsSnapshot;
  /** Operators' notes on the charts' timelines, oldest first (every replica's, via KV + broadcast). */
  annotations: Annotation[];
  /** Open findings worst first and the recently resolved, as the elected sampler evaluated them (lib/findings/). */
  findings: FindingsSnapshot;
  /** The bus's servers (lib/bus/servers.ts): only the Bus pages stream it. */
  bus_servers: BusServersSnapshot;
  /**
   * The bus's top open and latest closed connections, keyed, and its slow consumers in the meta
   * (lib/bus/connections-topic.ts): the Connections page's.
   */
  bus_connections: BusConnectionsTopic;
  /** The subject tap's state and its subjects' rates (lib/bus/subject-tap.ts): the Subjects page's. */
  bus_subjects: BusSubjectsSnapshot;
  /** Alert targets, the delivery log (newest first) and the silences, the same on every replica (server/alerts/). */
  alerts: AlertsState;
}

export interface FeedTopics {
  /** Every outcome, bounded (boundOutcome). Server-side readers and /api/topics only: no page streams it (see outcome_rows). */
  outcomes: OutcomeRecord;
  /** The same outcomes as the live feed shows them: what pages stream (2,000/s of full records cost a page more to parse than to show). */
  outcome_rows: OutcomeRow;
  lock_events: LockEvent;
  advisories: Advisory;
  /** Failover view: lock transitions (no plain renews) and JetStream leader changes. */
  failover_timeline: TimelineEntry;
}

export type StateTopic = keyof StateTopics;
export type FeedTopic = keyof FeedTopics;
export type Topic = StateTopic | FeedTopic;
export type KeyedTopic = { [K in StateTopic]: StateTopics[K] extends KeyedState<unknown, unknown> ? K : never }[StateTopic];
export type KeyedItem<K extends KeyedTopic> = StateTopics[K]["items"][number];

export const STATE_TOPICS = [
  "connection",
  "streams",
  "consumers",
  "consumer_rows",
  "outcome_stats",
  "locks",
  "singletons",
  "annotations",
  "findings",
  "bus_servers",
  "bus_connections",
  "bus_subjects",
  "alerts",
] as const satisfies readonly StateTopic[];
/**
 * How each keyed topic names its items (the hub diffs by it, the browser patches by it) and tells them apart;
 * `settle` brings what `same` let the hub leave out of a patch up to the state's meta, in the browser; `codec`
 * packs its items for the SSE stream (lib/wire/packed-items.ts).
 */
export const KEYED_TOPICS: {
  [K in KeyedTopic]: {
    key: (item: KeyedItem<K>) => string;
    /** Whether two items have the same key, without building it: the hub checks the item at an index first. */
    sameKey: (a: KeyedItem<K>, b: KeyedItem<K>) => boolean;
    same: (a: KeyedItem<K>, b: KeyedItem<K>) => boolean;
    settle: (state: StateTopics[K]) => StateTopics[K];
    codec: ItemCodec<KeyedItem<K>>;
    /**
     * The one tuple slot `settle` can change, and per state (its meta) each item's settled value there (undefined:
     * the packed one stands): a whole-state frame reuses an item's packed tuple around it (server/hub/full-state.ts).
     * Without it, `settle` must leave items as they are.
     */
    settledSlot?: SettledSlot<StateTopics[K]["meta"], KeyedItem<K>>;
  };
} = {
  consumer_rows: {
    key: consumerRowKey,
    sameKey: sameConsumerRowKey,
    same: sameConsumerRow,
    settle: currentLagSeconds,
    codec: consumerRowCodec,
    settledSlot: settledLagSlot,
  },
  bus_connections: {
    key: connectionItemKey,
    sameKey: sameConnectionItemKey,
    same: sameConnectionRow,
    settle: (state) => state,
    codec: connectionItemCodec,
  },
};
export const FEED_TOPICS = [
  "outcomes",
  "outcome_rows",
  "lock_events",
  "advisories",
  "failover_timeline",
] as const satisfies readonly FeedTopic[];
export const ALL_TOPICS: readonly Topic[] = [...STATE_TOPICS, ...FEED_TOPICS];

export const isStateTopic = (t: string): t is StateTopic => (STATE_TOPICS as readonly string[]).includes(t);
export const isFeedTopic = (t: string): t is FeedTopic => (FEED_TOPICS as readonly string[]).includes(t);
export const isKeyedTopic = (t: string): t is KeyedTopic => Object.hasOwn(KEYED_TOPICS, t);

/** A keyed topic's change since a version the client holds: upserted items whole, removed ones by key. */
export type StatePatchEvent = {
  [K in KeyedTopic]: { type: "state_patch"; topic: K; meta: StateTopics[K]["meta"]; upsert: KeyedItem<K>[]; remove: string[] };
}[KeyedTopic];

export type DashboardEvent =
  | { type: "hello"; server_time: string; topics: Topic[]; resumed: boolean }
  | { [K in StateTopic]: { type: "state"; topic: K; data: StateTopics[K] } }[StateTopic]
  | StatePatchEvent
  | { [K in FeedTopic]: { type: "feed_append"; topic: K; items: FeedTopics[K][] } }[FeedTopic]
  /** Sent instead of appends when a client missed more than the hub kept: replace, don't merge. */
  | { [K in FeedTopic]: { type: "feed_reset"; topic: K; items: FeedTopics[K][] } }[FeedTopic];

/**
 * A keyed topic's state and patch as the SSE stream carries them: the items packed (lib/wire/packed-items.ts)
 * instead of as objects. The browser unpacks them into the DashboardEvent it applies (unpackEvent).
 */
export type PackedKeyedEvent = {
  [K in KeyedTopic]:
    | { type: "state"; topic: K; meta: StateTopics[K]["meta"]; packed: PackedItems }
    | { type: "state_patch"; topic: K; meta: StateTopics[K]["meta"]; packed: PackedItems; remove: string[] };
}[KeyedTopic];

/** Feed topics whose items travel packed (the pages' busiest feed); `/api/topics` and snapshots keep objects. */
export const PACKED_FEEDS: { [K in PackedFeedTopic]: ItemCodec<FeedTopics[K]> } = { outcome_rows: outcomeRowCodec };
export type PackedFeedTopic = "outcome_rows";
export const isPackedFeed = (t: FeedTopic): t is PackedFeedTopic => Object.hasOwn(PACKED_FEEDS, t);

/** A packed feed's append or reset as the SSE stream carries it. */
export type PackedFeedEvent =
  | { type: "feed_append"; topic: PackedFeedTopic; packed: PackedItems }
  | { type: "feed_reset"; topic: PackedFeedTopic; packed: PackedItems };

/** What an SSE `data:` line holds: a DashboardEvent, except keyed states and patches and packed feeds' items. */
export type WireEvent =
  | Exclude<
      DashboardEvent,
      { type: "state" | "state_patch"; topic: KeyedTopic } | { type: "feed_append" | "feed_reset"; topic: PackedFeedTopic }
    >
  | PackedKeyedEvent
  | PackedFeedEvent;

/** A packed feed's items as one frame (the hub builds it once per flush for every client in step). */
export function packFeed<K extends PackedFeedTopic>(
  type: PackedFeedEvent["type"],
  topic: K,
  items: Iterable<FeedTopics[K]>,
): PackedFeedEvent {
  return { type, topic, packed: packItems(items, PACKED_FEEDS[topic]) } as PackedFeedEvent;
}

const codecOf = <K extends KeyedTopic>(topic: K) => KEYED_TOPICS[topic].codec as ItemCodec<KeyedItem<K>>;

/** A keyed topic's whole state with its items packed (the hub's first frame on a connection). */
export function packKeyedState<K extends KeyedTopic>(topic: K, state: StateTopics[K]): PackedKeyedEvent {
  const items = state.items as Iterable<KeyedItem<K>>;
  return { type: "state", topic, meta: state.meta, packed: packItems(items, codecOf(topic)) } as PackedKeyedEvent;
}

/** What changed in a keyed topic, its upserted items packed (`listKeys`: see ListKeys). */
export function packKeyedPatch<K extends KeyedTopic>(
  topic: K,
  meta: StateTopics[K]["meta"],
  upsert: Iterable<KeyedItem<K>>,
  remove: string[],
  listKeys?: ListKeys,
): PackedKeyedEvent {
  return { type: "state_patch", topic, meta, packed: packItems(upsert, codecOf(topic), listKeys), remove } as PackedKeyedEvent;
}

/** The event a wire frame stands for: keyed and feed items unpacked into the objects the hub was given. */
export function unpackEvent(event: WireEvent): DashboardEvent {
  if (!("packed" in event)) return event;
  if (event.type === "feed_append" || event.type === "feed_reset") {
    return { type: event.type, topic: event.topic, items: unpackItems(event.packed, PACKED_FEEDS[event.topic]) };
  }
  const items = unpackItems(event.packed, codecOf(event.topic));
  // the items are the topic's own (its codec made them): the pairing holds per topic, which TypeScript can't follow
  return (
    event.type === "state"
      ? { type: "state", topic: event.topic, data: { meta: event.meta, items } }
      : { type: "state_patch", topic: event.topic, meta: event.meta, upsert: items, remove: event.remove }
  ) as DashboardEvent;
}
