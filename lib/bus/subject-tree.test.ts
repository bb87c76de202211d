import { describe, expect, it } from "vitest";
import {
  buildSubjectTree,
  emptyWindow,
  foldTally,
  isInternalSubject,
  newTally,
  nodeSubject,
  tallyMessage,
  topTalkers,
  visibleNodes,
  windowRates,
  type SubjectRate,
  type SubjectTally,
} from "./subject-tree";

const OWN = ["_INBOX_busdeck", "busdeck"];
const tallyOf = (msgs: [subject: string, count: number, bytes?: number][], cap?: number): SubjectTally => {
  const t = newTally(cap);
  for (const [subject, count, bytes = 10] of msgs) for (let i = 0; i < count; i++) tallyMessage(t, subject, bytes, OWN);
  return t;
};
const rate = (subject: string, msgs_per_s: number, bytes_per_s = msgs_per_s * 10): SubjectRate => ({ subject, msgs_per_s, bytes_per_s });

describe("subject tree - tally and rates", () => {
  it("subject tree - one interval's messages are counted per subject, busiest first, as rates over its span", () => {
    const w = foldTally(
      emptyWindow(5_000),
      tallyOf([
        ["orders.eu.created", 30, 100],
        ["orders.us.created", 10],
        ["pay.done", 20],
      ]),
      1_000,
      1_000,
    );
    const r = windowRates(w);
    expect(r.subjects).toEqual([rate("orders.eu.created", 30, 3_000), rate("pay.done", 20), rate("orders.us.created", 10)]);
    expect(r.other).toBeNull();
    expect(r.span_ms).toBe(1_000);
  });

  it("subject tree - rates are the window's sum over its span, and intervals older than the window drop out", () => {
    let w = emptyWindow(3_000);
    w = foldTally(w, tallyOf([["a.b", 10]]), 1_000, 1_000);
    w = foldTally(w, tallyOf([["a.b", 30]]), 2_000, 1_000);
    expect(windowRates(w).subjects).toEqual([rate("a.b", 20)]);
    w = foldTally(w, tallyOf([["a.b", 50]]), 3_000, 1_000);
    w = foldTally(w, tallyOf([["a.b", 70]]), 4_000, 1_000);
    // 1_000 is out: (30 + 50 + 70) / 3 s
    expect(w.slices.map((s) => s.at)).toEqual([2_000, 3_000, 4_000]);
    expect(windowRates(w).subjects).toEqual([rate("a.b", 50)]);
  });

  it("subject tree - beyond the cap of distinct subjects, new ones are folded into (other) and said so", () => {
    const t = tallyOf(
      [
        ["s.1", 5],
        ["s.2", 5],
        ["s.3", 7],
        ["s.4", 1],
      ],
      2,
    );
    expect([...t.subjects.keys()]).toEqual(["s.1", "s.2"]);
    expect(t.other).toEqual({ msgs: 8, bytes: 80 });
    const r = windowRates(foldTally(emptyWindow(), t, 1_000, 1_000), 2);
    expect(r.subjects.map((s) => s.subject)).toEqual(["s.1", "s.2"]);
    expect(r.other).toEqual({ msgs_per_s: 8, bytes_per_s: 80 });
  });

  it("subject tree - over the window the union of subjects is capped too: the quietest go to (other)", () => {
    let w = emptyWindow(5_000);
    w = foldTally(
      w,
      tallyOf(
        [
          ["a", 10],
          ["b", 1],
        ],
        2,
      ),
      1_000,
      1_000,
    );
    w = foldTally(
      w,
      tallyOf(
        [
          ["c", 6],
          ["d", 2],
        ],
        2,
      ),
      2_000,
      1_000,
    );
    const r = windowRates(w, 2);
    expect(r.subjects.map((s) => s.subject)).toEqual(["a", "c"]);
    expect(r.other).toEqual({ msgs_per_s: 1.5, bytes_per_s: 15 });
  });

  it("subject tree - internal traffic ($ APIs, _INBOX replies, busdeck's own prefixes) is counted apart, not in the tree", () => {
    const t = tallyOf([
      ["$JS.API.STREAM.INFO.X", 3],
      ["_INBOX.abc.1", 2],
      ["_INBOX_busdeck.r1.x", 1],
      ["busdeck.samples", 1],
      ["busdeckish.x", 4],
    ]);
    expect([...t.subjects.keys()]).toEqual(["busdeckish.x"]);
    expect(t.internal.msgs).toBe(7);
    expect(isInternalSubject("$KV.locks.a", [])).toBe(true);
    expect(isInternalSubject("orders.$x", [])).toBe(false);
    expect(isInternalSubject("busdeck", OWN)).toBe(true);
  });
});

describe("subject tree - nodes and top talkers", () => {
  const subjects = [rate("orders.eu.created", 30), rate("orders.us.created", 10), rate("orders.eu", 5), rate("pay.done", 20)];

  it("subject tree - each node sums the subjects at and below it, siblings busiest first", () => {
    const tree = buildSubjectTree(subjects);
    expect(tree.map((n) => [n.path, n.msgs_per_s, n.subjects, n.exact])).toEqual([
      ["orders", 45, 3, false],
      ["pay", 20, 1, false],
    ]);
    const eu = tree[0]!.children[0]!;
    expect([eu.path, eu.msgs_per_s, eu.subjects, eu.exact, eu.depth]).toEqual(["orders.eu", 35, 2, true, 1]);
    expect(eu.children.map((c) => c.path)).toEqual(["orders.eu.created"]);
    expect(tree[0]!.children.map((c) => c.token)).toEqual(["eu", "us"]);
  });

  it("subject tree - ordered by name, siblings stay put whatever their rates", () => {
    const tree = buildSubjectTree(subjects, { order: "name" });
    expect(tree.map((n) => n.path)).toEqual(["orders", "pay"]);
    expect(buildSubjectTree([rate("b", 1), rate("a", 9), rate("c", 5)], { order: "name" }).map((n) => n.token)).toEqual(["a", "b", "c"]);
    expect(buildSubjectTree([rate("b", 1), rate("a", 9), rate("c", 5)]).map((n) => n.token)).toEqual(["a", "c", "b"]);
  });

  it("subject tree - a subject deeper than the depth limit counts at its prefix of that depth", () => {
    const tree = buildSubjectTree([rate("a.b.c.d", 4), rate("a.b", 1)], { maxDepth: 2 });
    const ab = tree[0]!.children[0]!;
    expect([ab.path, ab.msgs_per_s, ab.subjects, ab.exact, ab.children.length]).toEqual(["a.b", 5, 2, true, 0]);
  });

  it("subject tree - visible rows follow the expanded nodes; a node stands for its subtree in questions", () => {
    const tree = buildSubjectTree(subjects);
    expect(visibleNodes(tree, new Set()).map((n) => n.path)).toEqual(["orders", "pay"]);
    expect(visibleNodes(tree, new Set(["orders", "orders.eu"])).map((n) => n.path)).toEqual([
      "orders",
      "orders.eu",
      "orders.eu.created",
      "orders.us",
      "pay",
    ]);
    expect(nodeSubject(tree[0]!)).toBe("orders.>");
    expect(nodeSubject(tree[0]!.children[0]!.children[0]!)).toBe("orders.eu.created");
  });

  it("subject tree - top talkers are the busiest subjects, ties by bytes then name", () => {
    const top = topTalkers([...subjects, rate("b.tie", 20, 500), rate("a.tie", 20, 500)], 3);
    expect(top.map((s) => s.subject)).toEqual(["orders.eu.created", "a.tie", "b.tie"]);
  });
});
