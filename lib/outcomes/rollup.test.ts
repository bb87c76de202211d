import { describe, expect, it } from "vitest";
import { OutcomeAggregator } from "./stats";
import { parseRollup, ROLLUP_IDLE_GRACE_MS, ROLLUP_MINUTE_MS, RollupBuilder, usableRollups } from "./rollup";
import { comparable, outcomeFixture, ROLLUP_T0, rollupsOf } from "../../testing/fixtures/outcome-rollups";
import { handlerRangeLatency } from "./range-summary";
import type { OutcomeRecord } from "./outcome";

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

  it("outcome-rollup - records replayed after a history restart are not folded into a minute twice", () => {
    // The ingest's history consumer restarts from the last stored rollup's sequence: the open minute sees its
    // records again, and records of a closed minute arrive after it.
    const b = new RollupBuilder();
    const input = records(10);
    input.forEach(({ r }, n) => b.add(r, T0 + 1_000 + n, n + 1));
    expect([...new Set(b.add(input[0]!.r, T0 + ROLLUP_MINUTE_MS + 1_000, 11).map((r) => r.minute))]).toEqual([T0]);
    // replay from sequence 4: 4–10 are of the closed minute, 11 of the open one
    input.slice(3).forEach(({ r }, n) => expect(b.add(r, T0 + 1_000 + 3 + n, n + 4)).toEqual([]));
    b.add(input[0]!.r, T0 + ROLLUP_MINUTE_MS + 1_000, 11);
    b.add(input[1]!.r, T0 + ROLLUP_MINUTE_MS + 2_000, 12);
    const closed = b.closeIfIdle(T0 + 2 * ROLLUP_MINUTE_MS + ROLLUP_IDLE_GRACE_MS, 12);
    expect(closed.map((r) => [r.minute, r.minute_last_seq])).toEqual(closed.map(() => [T0 + ROLLUP_MINUTE_MS, 12]));
    expect(closed.reduce((n, r) => n + r.total, 0)).toBe(2);
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

  it("outcome-rollup - one arrival minute holding outcome times over hours keeps every minute's counts and durations", () => {
    // A backlog: emitted every 5 minutes over 5 hours, all arriving in one minute, in order and out of it.
    const arrivedAt = T0 + 6 * 3_600_000;
    const order = [...Array.from({ length: 60 }, (_, i) => i), 7, 3, 59, 0];
    const input = order.map((i, n): OutcomeRecord => ({
      id: String(n + 1),
      subject: "reflex.outcome.backlog",
      handler_id: "backlog",
      received_at: new Date(arrivedAt + n * 100).toISOString(),
      stream_seq: n + 1,
      size: 10,
      valid: true,
      body: {
        handler_id: "backlog",
        severity: "info",
        kind: "logged",
        target: null,
        event: { subject: "sensory.x" },
        emitted_at: new Date(arrivedAt - (59 - i) * 5 * ROLLUP_MINUTE_MS).toISOString(),
        duration_ms: i < 30 ? 10 : 100,
      },
    }));
    const b = new RollupBuilder();
    input.forEach((r, n) => b.add(r, arrivedAt + n * 100, n + 1));
    const rollups = b.closeIfIdle(arrivedAt + 2 * ROLLUP_MINUTE_MS, input.length);
    expect(rollups).toHaveLength(1);
    const [rollup] = rollups;
    // Every outcome in its own minute's bucket: none dropped when the hour-long bucket ring wrapped.
    expect(rollup!.buckets.reduce((n, x) => n + x.total, 0)).toBe(64);
    expect(new Set(rollup!.buckets.map((x) => x.t)).size).toBe(60);
    expect(rollup!.unbucketed_latency).toBeUndefined();
    // So the handler's latency chart and summary from the rollup equal those from the raw records.
    const range = { from: arrivedAt - 6 * 3_600_000, to: arrivedAt + ROLLUP_MINUTE_MS, history: { mode: "pending" as const } };
    const fromRollup = handlerRangeLatency({ ...range, rollups, raw: [] }, "backlog");
    const fromRaw = handlerRangeLatency({ ...range, rollups: [], raw: input }, "backlog");
    expect(fromRollup.points.length).toBe(60);
    expect(fromRollup).toEqual(fromRaw);
    const summary = new OutcomeAggregator();
    summary.addRollup(rollup!);
    expect(summary.snapshot(range.to, { stream_available: true, history: range.history }).handlers.backlog!.latency).toMatchObject({
      count: 64,
      p50: expect.closeTo(10, 0),
    });
  });
});
