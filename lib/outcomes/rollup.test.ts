import { describe, expect, it } from "vitest";
import { OutcomeAggregator } from "./stats";
import { parseRollup, ROLLUP_IDLE_GRACE_MS, ROLLUP_MINUTE_MS, RollupBuilder, usableRollups } from "./rollup";
import { comparable, outcomeFixture, ROLLUP_T0, rollupsOf } from "../../testing/fixtures/outcome-rollups";

const T0 = ROLLUP_T0;
const records = outcomeFixture;

describe("outcome rollups", () => {
  it("outcome-rollup - folding rollups gives the same summary as folding every record", () => {
    const input = records(400);
    const direct = new OutcomeAggregator();
    input.forEach(({ r }) => direct.add(r));
    const viaRollups = new OutcomeAggregator();
    const rollups = rollupsOf(input);
    rollups.forEach((r) => viaRollups.addRollup(r));
    const now = T0 + 10 * ROLLUP_MINUTE_MS;
    expect(comparable(viaRollups, now)).toEqual(comparable(direct, now));
    expect(new Set(rollups.map((r) => r.minute)).size).toBe(7); // 400 records ~1 s apart: 7 arrival minutes
  });

  it("outcome-rollup - a minute closes on a later record, or when idle after its end with nothing newer", () => {
    const b = new RollupBuilder();
    const [a, c] = records(2);
    expect(b.add(a!.r, T0 + 1_000, 1)).toEqual([]);
    expect(b.closeIfIdle(T0 + ROLLUP_MINUTE_MS, 1)).toEqual([]); // the minute is not over
    expect(b.closeIfIdle(T0 + 2 * ROLLUP_MINUTE_MS, 2)).toEqual([]); // the stream has a record we have not seen
    const closed = b.closeIfIdle(T0 + ROLLUP_MINUTE_MS + ROLLUP_IDLE_GRACE_MS, 1);
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ minute: T0, minute_last_seq: 1, handlers_in_minute: 1, total: 1 });
    b.add(c!.r, T0 + 61_000, 2);
    expect(b.add(c!.r, T0 + 125_000, 3).map((r) => r.minute)).toEqual([T0 + ROLLUP_MINUTE_MS]);
  });

  it("outcome-rollup - a load keeps complete minutes in order and resumes after the last one", () => {
    const rollups = rollupsOf(records(400));
    const all = usableRollups(rollups);
    expect(all.rollups).toHaveLength(rollups.length);
    expect(all.resumeSeq).toBe(400);
    // A writer died in the middle of minute 3: minutes 3 and later are recomputed from raw records.
    const minutes = [...new Set(rollups.map((r) => r.minute))].sort((x, y) => x - y);
    const cut = rollups.filter((r) => !(r.minute === minutes[3] && r.handler_id === "cpu_hot"));
    const partial = usableRollups(cut);
    expect(partial.lastMinute).toBe(minutes[2]);
    expect(partial.rollups.every((r) => r.minute <= minutes[2]!)).toBe(true);
    expect(partial.resumeSeq).toBe(rollups.find((r) => r.minute === minutes[2])!.minute_last_seq);
    // The same minute written twice (outside the dedup window) counts once.
    expect(usableRollups([...rollups, ...rollups]).rollups).toHaveLength(rollups.length);
  });

  it("outcome-rollup - stored rollups are validated", () => {
    const [r] = rollupsOf(records(3));
    const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
    expect(parseRollup(enc(r))).toEqual({ ok: true, rollup: r });
    expect(parseRollup(enc({ ...r, total: -1 })).ok).toBe(false);
    expect(parseRollup(new TextEncoder().encode("{"))).toMatchObject({ ok: false, error: expect.stringMatching(/not JSON/) });
  });
});
