import { describe, expect, it } from "vitest";
import { GHOST_MAX, GroupBook, groupCountsOf, MAX_GROUPS } from "./groups";
import { MAX_EXAMPLES } from "./fingerprint";

const T0 = Date.parse("2026-11-23T14:00:00.000Z");
/** A distinct word per number, no digits: each makes its own fingerprint pattern. */
const word = (i: number) => {
  let s = "";
  do {
    s = String.fromCharCode(97 + (i % 26)) + s;
    i = Math.floor(i / 26);
  } while (i > 0);
  return s;
};

/** `seconds` of `perSecond` one-off errors, each its own pattern, with `steady` groups firing every `every` s. */
function flood(book: GroupBook, seconds: number, perSecond: number, steady: { line: string; every: number }[]) {
  let n = 0;
  for (let s = 0; s < seconds; s++) {
    for (let i = 0; i < perSecond; i++) {
      const t = T0 + s * 1_000 + Math.floor((i * 1_000) / perSecond);
      book.add("h", groupCountsOf(`OneOff: ${word(n++)}`, t, `o${n}`));
    }
    for (const g of steady) if (s % g.every === 0) book.add("h", groupCountsOf(g.line, T0 + s * 1_000 + 500, `s${s}`));
  }
}

const find = (book: GroupBook, pattern: string) => book.toErrorGroups().find((g) => g.exception === pattern);

describe("error groups", () => {
  it("groups - 300/s one-off variants for two minutes never evict steadily firing groups", () => {
    const book = new GroupBook();
    const steady = [
      { line: "KeyError: 'peer-1'", every: 1 },
      { line: "TimeoutError: snmp walk", every: 2 },
      { line: "ValueError: slow but steady", every: 10 },
    ];
    flood(book, 120, 300, steady);
    expect(book.size).toBeLessThanOrEqual(MAX_GROUPS);
    expect(find(book, "KeyError: <str>")?.count).toBe(120);
    expect(find(book, "TimeoutError: snmp walk")?.count).toBe(60);
    // Evicted from probation between its firings, it comes back with its count (GHOST_MAX covers 10 s at 300/s).
    expect(GHOST_MAX).toBeGreaterThan(300 * 10);
    expect(find(book, "ValueError: slow but steady")?.count).toBe(12);
  }, 30_000);

  it("groups - one-offs evict each other oldest first and stay bounded", () => {
    const book = new GroupBook();
    for (let i = 0; i < 10_000; i++) book.add("h", groupCountsOf(`OneOff: ${word(i)}`, T0 + i, String(i)));
    const patterns = book.toErrorGroups().map((g) => g.exception);
    expect(patterns).toHaveLength(MAX_GROUPS);
    expect(patterns).toContain(`OneOff: ${word(9_999)}`);
    expect(patterns).not.toContain(`OneOff: ${word(0)}`);
  });

  it("groups - a repeating group evicts the least recently seen repeating group once they fill their share", () => {
    const book = new GroupBook();
    for (let i = 0; i < MAX_GROUPS; i++)
      for (const k of [0, 1]) book.add("h", groupCountsOf(`Repeats: ${word(i)}`, T0 + i * 10 + k, String(i)));
    const patterns = book.toErrorGroups().map((g) => g.exception);
    expect(patterns.length).toBeLessThanOrEqual(MAX_GROUPS);
    expect(patterns).toContain(`Repeats: ${word(MAX_GROUPS - 1)}`);
    expect(patterns).not.toContain(`Repeats: ${word(0)}`);
    // A one-off arriving now still gets a slot.
    book.add("h", groupCountsOf("Fresh: one", T0 + 1e6, "x"));
    expect(find(book, "Fresh: one")?.count).toBe(1);
  });

  it("groups - errors differing only by an id are one group with a handful of counted variants", () => {
    const book = new GroupBook();
    for (let i = 0; i < 3_000; i++) book.add("link_down", groupCountsOf(`KeyError: 'peer-${70_000 + (i % 7)}'`, T0 + i, String(i)));
    const groups = book.toErrorGroups();
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ exception: "KeyError: <str>", count: 3_000, sample: "KeyError: 'peer-70003'", last_id: "2999" });
    expect(groups[0]!.examples).toHaveLength(MAX_EXAMPLES);
    expect(groups[0]!.examples[0]).toEqual({ value: "'peer-70000'", count: Math.ceil(3_000 / 7) });
  });
});
