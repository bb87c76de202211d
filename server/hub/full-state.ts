/**
 * A keyed topic's whole state as an SSE frame, kept across versions: each item's packed tuple is kept as JSON,
 * written against a dictionary that lives as long as the topic, so a version's frame packs only the items that
 * changed since the last one was built and joins the rest. Packing and serializing 50,000 rows whole blocked the
 * event loop for hundreds of ms (bench/RESULTS.md, bench:consumer-sampler); joining them takes a tenth of that.
 * A value that no kept tuple refers to any more gives its index to the next new value, so the dictionary stays
 * the size of what the rows use. The frame unpacks to exactly what packKeyedState gives for the settled state.
 */
import "server-only";
import { listKey, type Interner, type ListKeys, type PackedValue } from "../../lib/wire/packed-items";
import { KEYED_TOPICS, type KeyedState, type KeyedTopic, type SettledSlot } from "../../lib/wire/topics";

/** One item's packed tuple as JSON: whole, or around the settled slot (`head` + value + `tail`). */
interface PackedRow {
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

/** Per keyed topic: the dictionary and each item's packed row (by the hub's entry for its key). */
export class FullStateCache {
  private readonly dict: CountedDictionary;
  private rows = new Map<object, PackedRow>();
  private builds = 0;

  constructor(
    private readonly topic: KeyedTopic,
    listKeys: ListKeys,
  ) {
    this.dict = new CountedDictionary(listKeys);
  }

  /**
   * The `state` frame's JSON for `value`, whose items sit at the same indices as `slots` (per key, any object
   * that stays the key's while it is listed: the book's entries).
   */
  frame(value: KeyedState<unknown, unknown>, slots: readonly object[]): string {
    const { codec, settledSlot } = KEYED_TOPICS[this.topic] as {
      codec: { pack(item: unknown, dict: Interner): unknown[] };
      settledSlot?: SettledSlot<unknown, unknown>;
    };
    const settled = settledSlot?.settler(value.meta);
    const build = ++this.builds;
    const next = new Map<object, PackedRow>();
    /** Rows this frame writes that a later item of the same key replaced (a key listed twice): freed after it. */
    const replaced: PackedRow[] = [];
    const out = new Array<string>(value.items.length);
    for (let k = 0; k < value.items.length; k++) {
      const item = value.items[k];
      const slot = slots[k]!;
      let row = next.get(slot) ?? this.rows.get(slot);
      if (row === undefined || row.item !== item) {
        if (row?.written === build) replaced.push(row);
        row = this.pack(codec, item, settledSlot?.at);
      }
      row.written = build;
      next.set(slot, row);
      const v = row.head === null ? undefined : settled!(item);
      out[k] = v === undefined ? row.json : row.head + JSON.stringify(v) + row.tail;
    }
    // rows of items that changed or went: their values are free before this frame lists the dictionary
    for (const [slot, row] of this.rows) if (next.get(slot) !== row && row.written !== build) this.dict.release(row.uses);
    this.rows = next;
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
