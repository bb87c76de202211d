/**
 * A keyed state topic's items as the hub last saw them (lib/wire/topics KEYED_TOPICS), diffed item by item on
 * publish: each item remembers the topic version at which it last changed, removals leave a tombstone, so a
 * client holding any recent version can be sent only what changed after it.
 */
import type { ListKeys } from "../../lib/wire/packed-items";
import { KEYED_TOPICS, type KeyedItem, type KeyedState, type KeyedTopic } from "../../lib/wire/topics";
import type { FullStateCache, PackedRow } from "./full-state";

/** `fullRow`: the item's packed row in the whole-state frame (./full-state.ts), once one was built. */
export type KeyedEntry = { item: unknown; changedAt: number; seenAt: number; fullRow?: PackedRow };

/** Carried across versions of one topic. */
export interface KeyedBook {
  /** Per key: the item, the version that last changed it, the version that last listed it. */
  entries: Map<string, KeyedEntry>;
  /** Removed keys and the version that removed them, oldest first. */
  tombstones: Map<string, number>;
  /** A patch is exact for a client holding this version or later (older removals were forgotten). */
  patchableFrom: number;
  /** The entries in the order of the last version's items: an item is looked for at its index before by key. */
  order: KeyedEntry[];
  /** Packed lists' keys, kept while the lists live (lib/wire/packed-items.ts ListKeys). */
  listKeys: ListKeys;
  /** The whole-state frame's packed rows, kept across versions (built when a client first needs it). */
  full?: FullStateCache;
}

type KeyedComparison = {
  key: (item: unknown) => string;
  sameKey: (a: unknown, b: unknown) => boolean;
  same: (a: unknown, b: unknown) => boolean;
};

/**
 * Marks the items that differ from the last version's (the topic's own comparison), tombstones the ones gone,
 * and forgets removals older than `keepVersions` versions.
 */
export function diffKeyed(
  topic: KeyedTopic,
  prev: KeyedBook | undefined,
  value: KeyedState<unknown, unknown>,
  version: number,
  keepVersions: number,
): KeyedBook {
  const { key: keyOf, sameKey, same } = KEYED_TOPICS[topic] as KeyedComparison;
  const book: KeyedBook = prev ?? { entries: new Map(), tombstones: new Map(), patchableFrom: 0, order: [], listKeys: new WeakMap() };
  // Lists mostly come in the same order: the entry at an item's index is nearly always its own, found without
  // building a key and looking it up. That entry is still the key's: it was listed last version, so not removed.
  const before = book.order;
  const order: KeyedEntry[] = new Array(value.items.length);
  let seen = 0;
  for (let k = 0; k < value.items.length; k++) {
    const item = value.items[k];
    let entry: KeyedEntry | undefined = before[k];
    if (entry === undefined || (entry.item !== item && !sameKey(entry.item, item))) {
      const key = keyOf(item);
      entry = book.entries.get(key);
      if (entry === undefined) {
        entry = { item, changedAt: version, seenAt: version };
        book.entries.set(key, entry);
        book.tombstones.delete(key);
        order[k] = entry;
        seen++;
        continue;
      }
    }
    order[k] = entry;
    if (entry.seenAt !== version) seen++;
    entry.seenAt = version;
    if (entry.item === item || same(entry.item, item)) continue;
    entry.item = item;
    entry.changedAt = version;
  }
  book.order = order;
  if (seen < book.entries.size) tombstoneUnseen(book, version);
  forgetOldRemovals(book, version - keepVersions);
  return book;
}

function tombstoneUnseen(book: KeyedBook, version: number): void {
  for (const [key, entry] of book.entries) {
    if (entry.seenAt === version) continue;
    book.entries.delete(key);
    book.tombstones.set(key, version);
  }
}

function forgetOldRemovals(book: KeyedBook, upTo: number): void {
  for (const [key, removedAt] of book.tombstones) {
    if (removedAt > upTo) break; // oldest first: the rest are newer
    book.tombstones.delete(key);
    book.patchableFrom = Math.max(book.patchableFrom, removedAt);
  }
}

/** What changed after version `seen`: the items to upsert and the keys to remove. */
export function changesSince(book: KeyedBook, seen: number): { upsert: KeyedItem<KeyedTopic>[]; remove: string[] } {
  const upsert: KeyedItem<KeyedTopic>[] = [];
  for (const entry of book.entries.values()) if (entry.changedAt > seen) upsert.push(entry.item as KeyedItem<KeyedTopic>);
  const remove: string[] = [];
  for (const [key, removedAt] of book.tombstones) if (removedAt > seen) remove.push(key);
  return { upsert, remove };
}
