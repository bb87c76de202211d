/** Property tests for the subject tree over subjects as the bus sends them (untrusted: any tokens, any depth). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildSubjectTree,
  emptyWindow,
  foldTally,
  MAX_TREE_DEPTH,
  newTally,
  tallyMessage,
  windowRates,
  type SubjectNode,
} from "./subject-tree";

const RUNS = { numRuns: 300 };
const token = fc.string({ unit: fc.constantFrom("a", "b", "c", "$", "_", "-", "Z"), minLength: 1, maxLength: 3 });
const subject = fc.array(token, { minLength: 1, maxLength: 12 }).map((t) => t.join("."));

const walk = (nodes: readonly SubjectNode[], out: SubjectNode[] = []) => {
  for (const n of nodes) {
    out.push(n);
    walk(n.children, out);
  }
  return out;
};

describe("subject tree - properties", () => {
  it("subject tree - any messages: at most `cap` subjects tracked, and every message counted once (tracked, other or internal)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(subject, fc.nat(1_000)), { maxLength: 200 }), fc.integer({ min: 1, max: 20 }), (msgs, cap) => {
        const t = newTally(cap);
        for (const [s, bytes] of msgs) tallyMessage(t, s, bytes, ["busdeck"]);
        expect(t.subjects.size).toBeLessThanOrEqual(cap);
        const tracked = [...t.subjects.values()].reduce((n, v) => n + v.msgs, 0);
        expect(tracked + t.other.msgs + t.internal.msgs).toBe(msgs.length);
        const r = windowRates(foldTally(emptyWindow(), t, 1_000, 1_000), cap);
        const total = r.subjects.reduce((n, s) => n + s.msgs_per_s, 0) + (r.other?.msgs_per_s ?? 0) + r.internal.msgs_per_s;
        expect(total).toBeCloseTo(msgs.length, 6);
      }),
      RUNS,
    );
  });

  it("subject tree - every root sums its subjects, every node its children (plus itself), no deeper than the limit", () => {
    fc.assert(
      fc.property(fc.uniqueArray(subject, { maxLength: 60 }), (subjects) => {
        const rates = subjects.map((s, i) => ({ subject: s, msgs_per_s: i + 1, bytes_per_s: 0 }));
        const tree = buildSubjectTree(rates);
        const sum = rates.reduce((n, r) => n + r.msgs_per_s, 0);
        expect(tree.reduce((n, r) => n + r.msgs_per_s, 0)).toBe(sum);
        expect(tree.reduce((n, r) => n + r.subjects, 0)).toBe(subjects.length);
        for (const n of walk(tree)) {
          expect(n.depth).toBeLessThan(MAX_TREE_DEPTH);
          const below = n.children.reduce((k, c) => k + c.msgs_per_s, 0);
          const own = n.exact || n.depth === MAX_TREE_DEPTH - 1 ? n.msgs_per_s - below : 0;
          expect(n.msgs_per_s).toBe(below + own);
          expect(own).toBeGreaterThanOrEqual(0);
        }
      }),
      RUNS,
    );
  });
});
