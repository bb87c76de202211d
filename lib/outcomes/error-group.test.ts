import { describe, expect, it } from "vitest";
import { inGroupWithId, payloadDifferences, summarizeErrorGroup, TOP_TARGETS } from "./error-group";
import { fingerprint, patternId } from "./fingerprint";
import type { OutcomeRecord } from "./outcome";
import { validOutcome } from "../../testing/fixtures/outcome";

const T0 = Date.parse("2026-11-23T14:00:00.000Z");
const errored = (i: number, exception: string, target: string | null, payload: unknown = {}): OutcomeRecord =>
  validOutcome({
    id: String(i),
    at: T0 + i * 1_000,
    kind: "errored",
    target,
    diagnostic: `Traceback (most recent call last):\n  File "x.py", line 1\n${exception}`,
    event: { subject: "sensory.x", payload },
  });
const ID = patternId(fingerprint("KeyError: 'peer-1'").pattern);
const range = { from: new Date(T0).toISOString(), to: new Date(T0 + 3_600_000).toISOString() };

describe("error group page", () => {
  it("error-group - counts, first and last seen, variants and top targets of the group's outcomes", () => {
    const records = Array.from({ length: 30 }, (_, i) =>
      errored(i, `KeyError: 'peer-${i % 3}'`, `sw-${i < 20 ? "a" : String.fromCharCode(98 + i)}`),
    );
    expect(records.every((r) => inGroupWithId(r, ID))).toBe(true);
    expect(inGroupWithId(errored(0, "KeyError: 'peer'", null), ID)).toBe(false);
    const d = summarizeErrorGroup(records, { handler_id: "link_down", id: ID }, range, { limit: 5, complete: true });
    expect(d).toMatchObject({
      pattern: "KeyError: <str>",
      count: 30,
      first_seen: records[0]!.received_at,
      last_seen: records[29]!.received_at,
    });
    expect(d.examples).toEqual([
      { value: "'peer-0'", count: 10 },
      { value: "'peer-1'", count: 10 },
      { value: "'peer-2'", count: 10 },
    ]);
    expect(d.targets[0]).toEqual({ target: "sw-a", count: 20 });
    expect(d.targets).toHaveLength(TOP_TARGETS);
    expect(d.other_targets).toBe(1);
    expect(d.records.map((r) => r.id)).toEqual(["29", "28", "27", "26", "25"]);
    expect(d.timeline.reduce((n, b) => n + b.errored, 0)).toBe(30);
  });

  it("error-group - outcomes emitted in the same millisecond are ordered by stream sequence", () => {
    const same = [0, 1, 2].map((i) => ({ ...errored(0, `KeyError: 'peer-${i}'`, null), id: String(i + 1), stream_seq: i + 1 }));
    const d = summarizeErrorGroup(same, { handler_id: "link_down", id: ID }, range, { limit: 5, complete: true });
    expect(d.records.map((r) => r.id)).toEqual(["3", "2", "1"]);
    expect(d.examples[0]!.value).toBe("'peer-0'");
  });

  it("error-group - payload differences name the leaf paths whose values differ, absent ones as null", () => {
    const diffs = payloadDifferences([
      { device: "sw-1", if_index: "Gi1/0/24", tags: ["core"], meta: { site: "ams" } },
      { device: "sw-2", if_index: "Gi1/0/24", tags: ["core", "edge"], meta: { site: "ams" } },
      { device: "sw-1", if_index: "Gi1/0/24", tags: ["core"] },
    ]);
    expect(diffs).toEqual([
      { path: "$.device", values: ['"sw-1"', '"sw-2"', '"sw-1"'] },
      { path: "$.meta.site", values: ['"ams"', '"ams"', null] },
      { path: "$.tags[1]", values: [null, '"edge"', null] },
    ]);
    expect(payloadDifferences([{ a: 1 }, { a: 1 }])).toEqual([]);
  });
});
