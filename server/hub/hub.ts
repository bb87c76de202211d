/**
 * The event hub: producers publish typed state snapshots and feed items; SSE clients read them.
 *
 * Clients are pull-based cursors, not queues: the hub keeps one latest value per state topic and one bounded
 * ring per feed topic, and each flush writes to a client only what changed since its cursor. So a topic that
 * changes 1,000×/s reaches a client once per flush with the latest state, and memory does not grow with slow
 * clients: a client whose transport is backed up is simply skipped (its cursor stays put) and, if it stays
 * backed up too long, dropped — its EventSource reconnects with Last-Event-ID and resumes or resyncs.
 *
 * Keyed state topics are diffed item by item on publish (keyed-book.ts), so a client that holds version v gets a
 * `state_patch` with what changed after v — however many versions it skipped — instead of the whole list. A
 * new or resumed connection, or one behind the tombstones kept, gets the full `state` (the browser replaces).
 * Frames are built once per flush and shared by the clients in step (frames.ts); this file schedules clients.
 */
import {
  ALL_TOPICS,
  FEED_TOPICS,
  STATE_TOPICS,
  isKeyedTopic,
  type DashboardEvent,
  type FeedTopic,
  type FeedTopics,
  type KeyedState,
  type StateTopic,
  type StateTopics,
  type Topic,
} from "../../lib/wire/topics";
import { DeferredFeedItem, resolveFeedItem } from "./deferred-item";
import { FlushFrames, stateFrame, type StateEntry } from "./frames";

export { DeferredFeedItem };
import { diffKeyed } from "./keyed-book";
import { SeqRing } from "../ring";

export interface HubOptions {
  /** How often every client is flushed (states, pings, stalled clients); feed items do not wait for it. */
  flushIntervalMs?: number;
  /**
   * Feed items go out as they arrive: an append schedules a flush this long after the previous one began, or
   * twice as long as that flush took when that is longer (at most flushIntervalMs) — so a fan-out to many
   * clients takes at most about half the event loop, and a few clients get items within a millisecond or two.
   */
  feedFlushGapMs?: number;
  /** State topics reach a client at most once per this interval, with the latest value (coalescing). */
  stateIntervalMs?: number;
  /** Items kept per feed topic for Last-Event-ID resume. */
  feedCapacity?: number;
  /** Items sent in a feed_reset (fresh snapshot for a new or too-far-behind client). */
  feedResetSize?: number;
  /** A client further behind than this on a feed gets a reset instead of a huge append. */
  maxAppendBatch?: number;
  pingIntervalMs?: number;
  /** Versions of a keyed topic whose removals are kept: a client further behind gets the full state. */
  keyedPatchVersions?: number;
  /** A client whose transport stays backed up this long is dropped. */
  stallTimeoutMs?: number;
  /**
   * Clients the timer's flush writes per event-loop turn: in slices, other work (NATS messages, requests) runs
   * between them instead of waiting for the whole fan-out and its response streams' promise chains.
   */
  flushSliceClients?: number;
  retryMs?: number;
  now?: () => number;
}

/** Where the hub writes one client's bytes. Implemented by the SSE route over a ReadableStream. */
export interface HubSink {
  /** Bytes of one SSE frame (shared between clients: never mutate), or a small control string. */
  write(chunk: Uint8Array | string): void;
  /** True while the transport has more buffered than it wants: skip this client for now. */
  isBackedUp(): boolean;
  close(reason: string): void;
}

export interface HubStats {
  clients: number;
  events_sent: number;
  bytes_sent: number;
  /** State versions a client never saw because a newer one replaced them (coalescing at work). */
  states_coalesced: number;
  feed_resets: number;
  /** Keyed-topic updates sent as a patch rather than the whole list. */
  state_patches: number;
  clients_dropped: number;
  flushes_skipped_backpressure: number;
}

interface ClientState {
  id: number;
  sink: HubSink;
  topics: Set<Topic>;
  stateVersion: Map<StateTopic, number>;
  /** Hub seq up to which this client has every feed item; -1 = needs a fresh snapshot. */
  feedCursor: number;
  lastWriteAt: number;
  lastStateWriteAt: number;
  backedUpSince: number | null;
  closed: boolean;
}

const DEFAULTS = {
  flushIntervalMs: 50,
  feedFlushGapMs: 5,
  stateIntervalMs: 100,
  feedCapacity: 5_000,
  feedResetSize: 200,
  maxAppendBatch: 2_000,
  keyedPatchVersions: 300,
  pingIntervalMs: 15_000,
  stallTimeoutMs: 15_000,
  flushSliceClients: 25,
  retryMs: 2_000,
};

export class Hub {
  private readonly opts: Required<Omit<HubOptions, "now">>;
  private readonly now: () => number;
  private seq = 0;
  private readonly states = new Map<StateTopic, StateEntry>();
  private readonly feeds = new Map<FeedTopic, SeqRing<unknown>>();
  private readonly clients = new Set<ClientState>();
  private nextClientId = 1;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** A sliced flush is still writing: the timer skips its tick rather than start a second one. */
  private flushing = false;
  /** The flush scheduled for feed items that arrived (scheduleFeedFlush). */
  private feedTimer: ReturnType<typeof setTimeout> | null = null;
  /** Feed items arrived while a flush was writing: the next one goes as soon as it ends. */
  private feedWaiting = false;
  private lastFlushStart = -Infinity;
  private lastFlushMs = 0;
  private readonly listeners = new Set<(topic: Topic) => void>();
  private readonly frames = new FlushFrames();
  readonly stats: HubStats = {
    clients: 0,
    events_sent: 0,
    bytes_sent: 0,
    states_coalesced: 0,
    feed_resets: 0,
    state_patches: 0,
    clients_dropped: 0,
    flushes_skipped_backpressure: 0,
  };

  constructor(options: HubOptions = {}) {
    this.opts = {
      ...DEFAULTS,
      ...Object.fromEntries(Object.entries(options).filter(([k, v]) => k !== "now" && v !== undefined)),
    } as Required<Omit<HubOptions, "now">>;
    this.now = options.now ?? Date.now;
    if (this.opts.pingIntervalMs >= 30_000) {
      // Browsers and proxies commonly cut idle streams after 30–60 s; a slower ping defeats its purpose.
      throw new Error(`hub pingIntervalMs (${this.opts.pingIntervalMs}) must be below 30000`);
    }
    for (const t of FEED_TOPICS) this.feeds.set(t, new SeqRing(this.opts.feedCapacity));
  }

  // ---- producers ----

  publishState<K extends StateTopic>(topic: K, value: StateTopics[K]): void {
    const prev = this.states.get(topic);
    const version = (prev?.version ?? 0) + 1;
    const keyed = isKeyedTopic(topic)
      ? diffKeyed(topic, prev?.keyed, value as KeyedState<unknown, unknown>, version, this.opts.keyedPatchVersions)
      : undefined;
    this.states.set(topic, { version, seq: ++this.seq, value, keyed });
    this.notify(topic);
  }

  /** Replace a state from its previous value (the reducer runs once, not per client). */
  updateState<K extends StateTopic>(topic: K, fallback: StateTopics[K], reduce: (prev: StateTopics[K]) => StateTopics[K]): void {
    this.publishState(topic, reduce(this.getState(topic) ?? fallback));
  }

  appendFeed<K extends FeedTopic>(topic: K, items: (FeedTopics[K] | DeferredFeedItem<FeedTopics[K]>)[]): void {
    if (items.length === 0) return;
    const ring = this.feeds.get(topic)!;
    for (const item of items) ring.push(++this.seq, item);
    this.notify(topic);
    this.scheduleFeedFlush();
  }

  // ---- readers (route handlers read from here instead of asking NATS) ----

  getState<K extends StateTopic>(topic: K): StateTopics[K] | undefined {
    return this.states.get(topic)?.value as StateTopics[K] | undefined;
  }

  getFeed<K extends FeedTopic>(topic: K, limit = this.opts.feedResetSize): FeedTopics[K][] {
    return this.feeds.get(topic)!.latest(limit).map(resolveFeedItem) as FeedTopics[K][];
  }

  /** In-process listeners (metrics, persistence); called synchronously on every change. */
  onChange(listener: (topic: Topic) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- SSE clients ----

  subscribe(sink: HubSink, topics: readonly Topic[] = ALL_TOPICS, lastEventId?: number): () => void {
    const resumable = lastEventId !== undefined && this.canResumeFrom(lastEventId);
    const client: ClientState = {
      id: this.nextClientId++,
      sink,
      topics: new Set(topics),
      stateVersion: new Map(),
      feedCursor: resumable ? lastEventId! : -1,
      lastWriteAt: this.now(),
      lastStateWriteAt: -Infinity,
      backedUpSince: null,
      closed: false,
    };
    this.clients.add(client);
    this.stats.clients = this.clients.size;
    sink.write(`retry: ${this.opts.retryMs}\n\n`);
    this.send(client, { type: "hello", server_time: new Date(this.now()).toISOString(), topics: [...client.topics], resumed: resumable });
    this.flushClient(client, this.seq);
    // Not the caches: a sliced flush may be halfway through clients that share them.
    this.ensureTimer();
    return () => this.remove(client, "unsubscribed");
  }

  /** Runs one flush over every client in one go (tests; the timer flushes in slices). */
  flush(): void {
    const head = this.seq;
    for (const client of this.clients) this.flushClient(client, head);
    this.clearFrameCaches();
  }

  /**
   * The timer's flush: every client up to the same head, `flushSliceClients` per event-loop turn. The head is
   * fixed at the start so clients in step still share one frame; what arrives meanwhile goes in the next flush.
   */
  flushInSlices(): Promise<void> {
    if (this.flushing) return Promise.resolve();
    const clients = [...this.clients];
    const head = this.seq;
    const size = Math.max(1, this.opts.flushSliceClients);
    let next = 0;
    this.flushing = true;
    this.feedWaiting = false;
    this.lastFlushStart = this.now();
    return new Promise((resolve) => {
      const step = () => {
        const end = Math.min(next + size, clients.length);
        for (; next < end; next++) this.flushClient(clients[next]!, head);
        if (next < clients.length) {
          setImmediate(step);
          return;
        }
        this.flushing = false;
        this.clearFrameCaches();
        this.lastFlushMs = this.now() - this.lastFlushStart;
        if (this.feedWaiting) this.scheduleFeedFlush();
        resolve();
      };
      step();
    });
  }

  private clearFrameCaches(): void {
    this.frames.clear();
  }

  close(): void {
    for (const client of [...this.clients]) this.remove(client, "hub closed", true);
    this.stopTimers();
  }

  get currentSeq(): number {
    return this.seq;
  }

  private canResumeFrom(lastEventId: number): boolean {
    if (lastEventId > this.seq) return false; // a different hub instance (server restarted)
    for (const ring of this.feeds.values()) {
      const oldest = ring.oldestSeq();
      if (oldest !== undefined && ring.length === ring.capacity && oldest > lastEventId + 1) return false;
    }
    return true;
  }

  private flushClient(client: ClientState, head: number): void {
    if (client.closed) return;
    const now = this.now();
    if (client.sink.isBackedUp()) {
      this.stats.flushes_skipped_backpressure++;
      client.backedUpSince ??= now;
      if (now - client.backedUpSince > this.opts.stallTimeoutMs) {
        this.stats.clients_dropped++;
        this.remove(client, "stalled: transport backed up", true);
      }
      return;
    }
    client.backedUpSince = null;
    let wrote = false;
    // States may wait for their interval: a resumed client gets every state again anyway, so feed ids stay exact.
    const statesDue = now - client.lastStateWriteAt >= this.opts.stateIntervalMs;
    for (const topic of STATE_TOPICS) {
      if (!statesDue || !client.topics.has(topic)) continue;
      const entry = this.states.get(topic);
      const seen = client.stateVersion.get(topic) ?? 0;
      if (!entry || entry.version === seen) continue;
      if (seen > 0) this.stats.states_coalesced += entry.version - seen - 1;
      const frame = stateFrame(topic, entry, seen);
      if (frame.patch) this.stats.state_patches++;
      this.writeFrame(client, frame.json, head);
      client.stateVersion.set(topic, entry.version);
      client.lastStateWriteAt = now;
      wrote = true;
    }
    for (const topic of FEED_TOPICS) {
      if (!client.topics.has(topic)) continue;
      wrote = this.flushFeed(client, topic, head) || wrote;
    }
    client.feedCursor = head;
    if (!wrote && now - client.lastWriteAt >= this.opts.pingIntervalMs) {
      // A named event, not a comment: the browser can only watch what it can see.
      client.sink.write(`event: ping\ndata: ${now}\n\n`);
      client.lastWriteAt = now;
    }
  }

  private flushFeed(client: ClientState, topic: FeedTopic, head: number): boolean {
    const ring = this.feeds.get(topic)!;
    if (client.feedCursor < 0) {
      this.writeFrame(client, this.frames.feedFrame(topic, "reset", -1, head, ring, this.opts.feedResetSize), head);
      return true;
    }
    const newest = ring.newestSeq();
    if (newest === undefined || newest <= client.feedCursor) return false;
    const oldest = ring.oldestSeq()!;
    const missedSome = ring.length === ring.capacity && oldest > client.feedCursor + 1;
    const tooFarBehind = !missedSome && ring.countSince(client.feedCursor) > this.opts.maxAppendBatch;
    if (missedSome || tooFarBehind) {
      this.stats.feed_resets++;
      this.writeFrame(client, this.frames.feedFrame(topic, "reset", -1, head, ring, this.opts.feedResetSize), head);
    } else {
      this.writeFrame(client, this.frames.feedFrame(topic, "append", client.feedCursor, head, ring, this.opts.feedResetSize), head);
    }
    return true;
  }

  private send(client: ClientState, event: DashboardEvent, id?: number): void {
    this.writeFrame(client, JSON.stringify(event), id);
  }

  /** Every frame of a flush carries the hub head as its id: after a flush the client has everything up to it. */
  private writeFrame(client: ClientState, json: string, id?: number): void {
    const bytes = this.frames.encode(json, id);
    client.sink.write(bytes);
    client.lastWriteAt = this.now();
    this.stats.events_sent++;
    this.stats.bytes_sent += bytes.byteLength;
  }

  private remove(client: ClientState, reason: string, closeSink = false): void {
    if (client.closed) return;
    client.closed = true;
    this.clients.delete(client);
    this.stats.clients = this.clients.size;
    if (closeSink) client.sink.close(reason);
    if (this.clients.size === 0) this.stopTimers();
  }

  private stopTimers(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.feedTimer) clearTimeout(this.feedTimer);
    this.timer = null;
    this.feedTimer = null;
  }

  /** Flushes soon after feed items arrive instead of at the next tick (HubOptions.feedFlushGapMs). */
  private scheduleFeedFlush(): void {
    if (this.clients.size === 0 || this.feedTimer) return;
    if (this.flushing) {
      this.feedWaiting = true;
      return;
    }
    const gap = Math.min(this.opts.flushIntervalMs, Math.max(this.opts.feedFlushGapMs, 2 * this.lastFlushMs));
    const wait = Math.max(0, this.lastFlushStart + gap - this.now());
    this.feedTimer = setTimeout(() => {
      this.feedTimer = null;
      if (this.flushing) this.feedWaiting = true;
      else void this.flushInSlices();
    }, wait);
    this.feedTimer.unref?.();
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flushInSlices(), this.opts.flushIntervalMs);
    this.timer.unref?.();
  }

  private notify(topic: Topic): void {
    for (const l of this.listeners) l(topic);
  }
}
