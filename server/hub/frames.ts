/**
 * SSE frames as the hub writes them: built once per flush and shared by every client at the same cursor, so the
 * hub's cost does not grow with per-client string building and UTF-8 encoding.
 */
import {
  isPackedFeed,
  packFeed,
  packKeyedPatch,
  type FeedTopic,
  type FeedTopics,
  type KeyedTopic,
  type StateTopic,
  type StateTopics,
} from "../../lib/wire/topics";
import { resolveFeedItem } from "./deferred-item";
import { FullStateCache } from "./full-state";
import { changesSince, type KeyedBook } from "./keyed-book";
import type { SeqRing } from "../ring";

/** One version of a state topic, with the frames built from it. */
export interface StateEntry {
  version: number;
  seq: number;
  value: unknown;
  frameCache?: string;
  keyed?: KeyedBook;
  /** Patch frames of this version, by the version the client holds: clients in step share one. */
  patchFrames?: Map<number, string>;
}

/**
 * The whole state, or for a keyed topic whose client holds a recent enough version, what changed since.
 * Keyed topics' items go packed (lib/wire/packed-items.ts), a fraction of the JSON.
 */
export function stateFrame(topic: StateTopic, entry: StateEntry, seen: number): { json: string; patch: boolean } {
  const book = entry.keyed;
  if (!book) return { json: (entry.frameCache ??= JSON.stringify({ type: "state", topic, data: entry.value })), patch: false };
  const keyedTopic = topic as KeyedTopic;
  const value = entry.value as StateTopics[KeyedTopic];
  if (seen === 0 || seen < book.patchableFrom) {
    // Items brought up to the meta once per version here (a kept row carries the figures of the sample that last
    // changed it), not by every browser on connecting; only the rows changed since the last build are packed.
    entry.frameCache ??= (book.full ??= new FullStateCache(keyedTopic, book.listKeys)).frame(value, book.order);
    return { json: entry.frameCache, patch: false };
  }
  entry.patchFrames ??= new Map();
  let json = entry.patchFrames.get(seen);
  if (json === undefined) {
    const { upsert, remove } = changesSince(book, seen);
    json = JSON.stringify(packKeyedPatch(keyedTopic, value.meta, upsert, remove, book.listKeys));
    entry.patchFrames.set(seen, json);
  }
  return { json, patch: true };
}

/** The frames of one flush: feed frames by topic and range, encoded bytes by JSON. Cleared when the flush ends. */
export class FlushFrames {
  private readonly feedFrames = new Map<string, string>();
  /** Keyed by their JSON: V8 caches a string's hash, so lookups are cheap. */
  private readonly encoded = new Map<string, { id: number | undefined; bytes: Uint8Array }>();
  private readonly encoder = new TextEncoder();

  feedFrame(topic: FeedTopic, kind: "reset" | "append", after: number, head: number, ring: SeqRing<unknown>, resetSize: number): string {
    const key = `${topic}|${kind}|${after}|${head}`;
    let frame = this.feedFrames.get(key);
    if (frame === undefined) {
      const items = kind === "reset" ? ring.latest(resetSize) : ring.since(after);
      const type = kind === "reset" ? "feed_reset" : "feed_append";
      // A packed feed's items are built here (deferred ones resolved); the others' by JSON.stringify (toJSON).
      const event = isPackedFeed(topic)
        ? packFeed(type, topic, items.map(resolveFeedItem) as FeedTopics[typeof topic][])
        : { type, topic, items };
      frame = JSON.stringify(event);
      this.feedFrames.set(key, frame);
    }
    return frame;
  }

  /** The SSE bytes of `json` with event id `id`, encoded once per flush. */
  encode(json: string, id: number | undefined): Uint8Array {
    const cached = this.encoded.get(json);
    if (cached && cached.id === id) return cached.bytes;
    const bytes = this.encoder.encode(id === undefined ? `data: ${json}\n\n` : `id: ${id}\ndata: ${json}\n\n`);
    this.encoded.set(json, { id, bytes });
    return bytes;
  }

  clear(): void {
    this.feedFrames.clear();
    this.encoded.clear();
  }
}
