/**
 * A keyed topic's whole state as an SSE frame, kept across versions: each item's packed tuple is kept as JSON,
 * written against a dictionary that lives as long as the topic, so a version's frame packs only the items that
 * changed since the last one was built and joins the rest: a page opening on 50,000 rows does not wait for all of
 * them to be packed and serialized in one turn of the event loop (bench/RESULTS.md, bench:consumer-sampler).
 * A value that no kept tuple refers to any more gives its index to the next new value, so the dictionary stays
 * the size of what the rows use. The frame unpacks to exactly what packKeyedState gives for the settled state.
 */
import "server-only";
import { listKey, type Interner, type ListKeys, type PackedValue } from "../../lib/wire/packed-items";
import { KEYED_TOPICS, type KeyedState, type KeyedTopic, type SettledSlot } from "../../lib/wire/topics";

/** One item's packed tuple as JSON: whole, or around the settled slot (`head` + value + `tail`). */
export interface PackedRow {
  item: unknown;
  json: string;
  head: string | null;
  tail: string;
  /** The dictionary indices it refers to, once per reference. */
  uses: number[];
  /** The last build whose frame wrote it. */
  written: number;
}

/** A dictionary whose values count their references and whose freed indices are reused. */
class CountedDictionary implements Interner {
  readonly values: PackedValue[] = [];
  private readonly counts: number[] = [];
  /** Each index's key in `strings` or `lists`, to forget it when freed. */
  private readonly keys: (string | null)[] = [];
  private readonly isList: boolean[] = [];
  private readonly strings = new Map<string | null, number>();
  private readonly lists = new Map<string, number>();
  private readonly free: number[] = [];
  /** Where the indices of the tuple being packed are noted. */
  uses: number[] = [];

  constructor(private readonly listKeys: ListKeys) {}

  str(s: string | null): number {
    let at = this.strings.get(s);
    if (at === undefined) this.strings.set(s, (at = this.slot(s, s, false)));
    this.counts[at]!++;
    this.uses.push(at);
    return at;
  }

  list(xs: readonly (string | number)[]): number {
    const key = listKey(xs, this.listKeys);
    let at = this.lists.get(key);
    if (at === undefined) this.lists.set(key, (at = this.slot(xs, key, true)));
    this.counts[at]!++;
    this.uses.push(at);
    return at;
  }

  release(uses: readonly number[]): void {
    for (const at of uses) {
      if (--this.counts[at]! > 0) continue;
      if (this.isList[at]) this.lists.delete(this.keys[at]!);
      else this.strings.delete(this.keys[at]!);
      this.values[at] = null; // unreferenced: any value does, and none keeps a string alive
      this.free.push(at);
    }
  }

  private slot(value: PackedValue, key: string | null, isList: boolean): number {
    const at = this.free.pop() ?? this.values.length;
    this.values[at] = value;
    this.counts[at] = 0;
    this.keys[at] = key;
    this.isList[at] = isList;
    return at;
  }
}

/** Where the cache keeps an item's packed row: on the hub's entry for its key (keyed-book.ts KeyedEntry). */
export interface FrameSlot {
  fullRow?: PackedRow;
}

/** Per keyed topic: the dictionary and each listed item's packed row. */
export class FullStateCache {
  private readonly dict: CountedDictionary;
  /** The slots the last frame listed: the ones this frame does not list give their values back. */
  private listed: readonly FrameSlot[] = [];
  private builds = 0;

  constructor(
    private readonly topic: KeyedTopic,
    listKeys: ListKeys,
  ) {
    this.dict = new CountedDictionary(listKeys);
  }

  /**
   * The `state` frame's JSON for `value`, whose items sit at the same indices as `slots` (per key, an object that
   * stays the key's while it is listed: the book's entries).
   */
  frame(value: KeyedState<unknown, unknown>, slots: readonly FrameSlot[]): string {
    const { codec, settledSlot } = KEYED_TOPICS[this.topic] as {
      codec: { pack(item: unknown, dict: Interner): unknown[] };
      settledSlot?: SettledSlot<unknown, unknown>;
    };
    const settled = settledSlot?.settler(value.meta);
    const build = ++this.builds;
    /** Rows this frame writes that a later item of the same key replaced (a key listed twice): freed after it. */
    const replaced: PackedRow[] = [];
    const out = new Array<string>(value.items.length);
    for (let k = 0; k < value.items.length; k++) {
      const item = value.items[k];
      const slot = slots[k]!;
      let row = slot.fullRow;
      if (row === undefined || row.item !== item) {
        if (row?.written === build) replaced.push(row);
        else if (row !== undefined) this.dict.release(row.uses);
        slot.fullRow = row = this.pack(codec, item, settledSlot?.at);
      }
      row.written = build;
      const v = row.head === null ? undefined : settled!(item);
      out[k] =
        v === undefined ? row.json : row.head + (typeof v === "number" && Number.isFinite(v) ? `${v}` : JSON.stringify(v)) + row.tail;
    }
    // the rows of items gone since the last frame give their values back before this one lists the dictionary
    for (const slot of this.listed) {
      const row = slot.fullRow;
      if (row === undefined || row.written === build) continue;
      this.dict.release(row.uses);
      slot.fullRow = undefined;
    }
    this.listed = slots;
    const head = JSON.stringify({ type: "state", topic: this.topic, meta: value.meta, packed: { values: this.dict.values } });
    for (const row of replaced) this.dict.release(row.uses);
    // the same object as packKeyedState's, `rows` last: {"type":…,"packed":{"values":[…],"rows":[…]}}
    return `${head.slice(0, -2)},"rows":[${out.join(",")}]}}`;
  }

  private pack(codec: { pack(item: unknown, dict: Interner): unknown[] }, item: unknown, at: number | undefined): PackedRow {
    const uses: number[] = [];
    this.dict.uses = uses;
    const tuple = codec.pack(item, this.dict);
    const json = JSON.stringify(tuple);
    if (at === undefined || tuple.length <= at) return { item, json, head: null, tail: "", uses, written: 0 };
    // split around the slot: the slots before it are the JSON of tuple.slice(0, at) with "," in place of its "]"
    const headLength = at === 0 ? 1 : JSON.stringify(tuple.slice(0, at)).length;
    const slotLength = JSON.stringify([tuple[at]]).length - 2;
    return { item, json, head: json.slice(0, headLength), tail: json.slice(headLength + slotLength), uses, written: 0 };
  }
}
