import { describe, expect, it } from "vitest";
import { Dictionary, listAt, nullableStringAt, packItems, stringAt, unpackItems, type ItemCodec } from "./packed-items";

interface Pair {
  label: string | null;
  tags: string[];
  n: number;
}
const pairCodec: ItemCodec<Pair> = {
  pack: (p, d) => [d.str(p.label), d.list(p.tags), p.n],
  unpack: (t, v) => ({ label: nullableStringAt(v, t[0]), tags: listAt<string>(v, t[1]), n: t[2] as number }),
};

describe("packed items", () => {
  it("packed items - the same string or list content gets one index, whichever object holds it", () => {
    const d = new Dictionary();
    expect(d.str("a")).toBe(d.str(`${"a"}`));
    expect(d.list(["x", "y"])).toBe(d.list(["x", "y"]));
    expect(d.list([1, 2])).toBe(d.list([1, 2]));
    expect(d.values).toEqual(["a", ["x", "y"], [1, 2]]);
  });

  it("packed items - values that print alike stay apart: null and 'null', ['1'] and [1], [] and ['']", () => {
    const d = new Dictionary();
    const indices = [d.str(null), d.str("null"), d.list(["1"]), d.list([1]), d.list([]), d.list([""]), d.list(["a,b"]), d.list(["a", "b"])];
    expect(new Set(indices).size).toBe(indices.length);
  });

  it("packed items - round trip through JSON gives back equal items, in order", () => {
    const items: Pair[] = [
      { label: "a", tags: ["t1"], n: 1 },
      { label: null, tags: [], n: 0 },
      { label: "a", tags: ["t1"], n: 2.5 },
    ];
    const wire = JSON.parse(JSON.stringify(packItems(items, pairCodec)));
    const back = unpackItems(wire, pairCodec);
    expect(back).toStrictEqual(items);
    // one list object for the items that had the same list: read-only, and less for the browser to hold
    expect(back[0]!.tags).toBe(back[2]!.tags);
  });

  it("packed items - a tuple pointing at the wrong kind of value fails loudly", () => {
    const values = ["s", ["l"], null];
    expect(() => stringAt(values, 1)).toThrow(/no string at 1/);
    expect(() => stringAt(values, 7)).toThrow(/no string at 7/);
    expect(() => listAt(values, 0)).toThrow(/no list at 0/);
    expect(nullableStringAt(values, 2)).toBeNull();
  });
});
