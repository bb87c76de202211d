/**
 * A compact wire form for the items of a keyed topic or a packed feed (docs/contracts.md, "Keyed topics and packed feeds"): each
 * item a flat tuple, its repeated values — stream and consumer names, rules, evidence texts, subject lists,
 * sparklines — written once in a dictionary and referred to by index, so the browser does not receive and parse
 * the same keys and strings once per row (sizes in bench/RESULTS.md, bench:consumer-view).
 *
 * Pure and symmetric: a topic's codec turns one item into a tuple with a Dictionary and back with the values.
 */

/** What a dictionary holds: strings (or null, for a nullable string field) and lists of strings or numbers. */
export type PackedValue = string | null | readonly (string | number)[];

export interface PackedItems {
  /** Repeated values, referred to by their index from the tuples. */
  values: PackedValue[];
  /** One tuple per item, as the topic's codec writes it. */
  rows: unknown[][];
}

/**
 * Lists' content keys by the list's identity, kept by the caller across frames: items keep an unchanged list as the
 * same array (a consumer's sparkline), so its key is built once rather than for every frame that packs it.
 */
export type ListKeys = WeakMap<readonly (string | number)[], string>;

/** The key a list is interned by. The kind of the first item is part of it, so ["1"] and [1] stay apart; a list mixes no kinds. */
export function listKey(xs: readonly (string | number)[], keys?: ListKeys): string {
  let key = keys?.get(xs);
  if (key === undefined) {
    key = `${typeof xs[0]}\u0000${xs.join("\u0000")}`;
    keys?.set(xs, key);
  }
  return key;
}

/** What a codec packs an item with: the index of each string and list it writes. */
export interface Interner {
  /** The index of a string (or null). */
  str(s: string | null): number;
  /** The index of a list of strings or of numbers, by content. */
  list(xs: readonly (string | number)[]): number;
}

/** Interns values while items are packed: the same value gets the same index. */
export class Dictionary implements Interner {
  readonly values: PackedValue[] = [];
  private readonly strings = new Map<string | null, number>();
  private readonly lists = new Map<string, number>();

  /** `listKeys`: a cache of list keys that outlives this dictionary (see ListKeys). */
  constructor(private readonly listKeys?: ListKeys) {}

  /** The index of a string (or null). */
  str(s: string | null): number {
    let at = this.strings.get(s);
    if (at === undefined) {
      at = this.values.push(s) - 1;
      this.strings.set(s, at);
    }
    return at;
  }

  /** The index of a list of strings or of numbers, by content. */
  list(xs: readonly (string | number)[]): number {
    const key = listKey(xs, this.listKeys);
    let at = this.lists.get(key);
    if (at === undefined) {
      at = this.values.push(xs) - 1;
      this.lists.set(key, at);
    }
    return at;
  }
}

export interface ItemCodec<T> {
  pack(item: T, dict: Interner): unknown[];
  /** Lists come back shared between the items that had the same one: treat them as read-only. */
  unpack(tuple: readonly unknown[], values: readonly PackedValue[]): T;
  /**
   * Optional: an unpack for every tuple of one frame, which may hand equal parts of different items back as one
   * shared object (read-only, like the lists). A first state unpacks 10,000 items in one go on the page's main
   * thread; every object not allocated is time and garbage the first render does not wait on.
   */
  unpacker?(values: readonly PackedValue[]): (tuple: readonly unknown[]) => T;
}

export function packItems<T>(items: Iterable<T>, codec: ItemCodec<T>, listKeys?: ListKeys): PackedItems {
  const dict = new Dictionary(listKeys);
  const rows: unknown[][] = [];
  for (const item of items) rows.push(codec.pack(item, dict));
  return { values: dict.values, rows };
}

export function unpackItems<T>(packed: PackedItems, codec: ItemCodec<T>): T[] {
  const unpack = codec.unpacker?.(packed.values) ?? ((tuple: readonly unknown[]) => codec.unpack(tuple, packed.values));
  const out = new Array<T>(packed.rows.length);
  for (let k = 0; k < packed.rows.length; k++) out[k] = unpack(packed.rows[k]!);
  return out;
}

/**
 * One object per key within a frame: the object made for a key the first time, again for the same key after.
 * For an unpacker's shared parts, keyed by the numbers (dictionary indices, figures) that make them up.
 */
export function sharedBy<K, V>(make: (key: K) => V): (key: K) => V {
  const made = new Map<K, V>();
  return (key) => {
    let v = made.get(key);
    if (v === undefined) made.set(key, (v = make(key)));
    return v;
  };
}

/** A dictionary string by index, checked: a malformed frame fails loudly rather than yielding undefined fields. */
export function stringAt(values: readonly PackedValue[], at: unknown): string {
  const v = values[at as number];
  if (typeof v !== "string") throw new TypeError(`packed items: no string at ${String(at)}`);
  return v;
}

export function nullableStringAt(values: readonly PackedValue[], at: unknown): string | null {
  return values[at as number] === null ? null : stringAt(values, at);
}

export function listAt<T extends string | number>(values: readonly PackedValue[], at: unknown): T[] {
  const v = values[at as number];
  if (!Array.isArray(v)) throw new TypeError(`packed items: no list at ${String(at)}`);
  return v as T[];
}
