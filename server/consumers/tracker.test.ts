import { describe, expect, it } from "vitest";
import type { ConsumerBase } from "../../lib/consumers";
import { consumerSummary } from "../../lib/fixtures/consumer";
import type { StreamSummary } from "../../lib/streams";
import { ConsumerTracker } from "./tracker";

const T0 = Date.parse("2026-11-23T12:00:00Z");
const stream = { name: "S", state: { first_seq: 1, last_seq: 20, first_ts: "2026-11-23T11:00:00Z", last_ts: "2026-11-23T11:59:00Z" } } as unknown as StreamSummary;
/** A consumer 20 messages behind with an ack floor that never moves. */
const stuck = (name: string): ConsumerBase => {
  const { insight: _, ...base } = consumerSummary("S", name, { lag: 20 });
  return base;
};

describe("consumer tracker", () => {
  it("consumer tracker - a tick that changes nothing keeps the previous verdict, drain, spark and diagnoses objects", async () => {
    const tracker = new ConsumerTracker({ intervalMs: 1_000 });
    let prev = null;
    for (let k = 0; k < 40; k++) prev = (await tracker.observe([stream], [stuck("a")], T0 + k * 1_000))[0]!.insight!;
    const next = (await tracker.observe([stream], [stuck("a")], T0 + 40_000))[0]!.insight!;
    expect(next.health.status).toBe("STOP");
    expect(next.health).toBe(prev!.health);
    expect(next.drain).toBe(prev!.drain);
    expect(next.spark).toBe(prev!.spark);
    expect(next.dead_letters).toEqual({ max_deliveries: 0, naked: 0, terminated: 0 });
  });

  it("consumer tracker - a sample folded stream by stream, parts added in any order, gives what observe() gives; histories go to the first consumers in list order", async () => {
    const streams = ["S", "T"].map((name) => ({ ...stream, name }));
    const list = (k: number) =>
      ["S", "T"].flatMap((s) => ["a", "b", "c"].map((name, i): ConsumerBase => ({ ...stuck(name), stream: s, num_pending: (k * (i + 1)) % 7, ack_floor: { consumer_seq: k, stream_seq: k, last_active: null } })));
    const whole = new ConsumerTracker({ intervalMs: 1_000, historyMaxConsumers: 4 });
    const parts = new ConsumerTracker({ intervalMs: 1_000, historyMaxConsumers: 4 });
    for (let k = 0; k < 15; k++) {
      const all = list(k);
      const expected = await whole.observe(streams, all, T0 + k * 1_000);
      const sample = parts.begin(streams, T0 + k * 1_000);
      const t = sample.add(all.filter((c) => c.stream === "T"));
      const s = sample.add(all.filter((c) => c.stream === "S"));
      expect(sample.finish([s, t])).toEqual(expected);
    }
    const withHistory = (tr: ConsumerTracker) => ["S", "T"].flatMap((s) => ["a", "b", "c"].filter((n) => tr.history(s, n, "1h", T0 + 15_000)!.points.length > 0).map((n) => `${s}/${n}`));
    expect(withHistory(parts)).toEqual(["S/a", "S/b", "S/c", "T/a"]);
    expect(withHistory(parts)).toEqual(withHistory(whole));
    expect(parts.history("T", "a", "1h", T0 + 15_000)).toEqual(whole.history("T", "a", "1h", T0 + 15_000));
  });

  it("consumer tracker - a caught-up consumer keeps its whole insight object from sample to sample", async () => {
    const tracker = new ConsumerTracker({ intervalMs: 1_000 });
    const caughtUp = { ...stuck("a"), num_pending: 0 };
    let prev = null;
    // (past the sparkline's 30 points, which grow until then)
    for (let k = 0; k < 32; k++) prev = (await tracker.observe([stream], [caughtUp], T0 + k * 1_000))[0]!.insight!;
    const next = (await tracker.observe([stream], [caughtUp], T0 + 32_000))[0]!;
    expect(next.insight).toBe(prev);
    expect(next.insight!.health.rule).toBe("caught_up");
    expect(next.sampled_at).toBe(caughtUp.sampled_at);
    const behind = (await tracker.observe([stream], [{ ...caughtUp, num_pending: 2 }], T0 + 33_000))[0]!.insight!;
    expect(behind).not.toBe(prev);
    expect(behind.lag_msgs).toBe(2);
  });

  it("consumer tracker - a changed figure gives new objects with the new values", async () => {
    const tracker = new ConsumerTracker({ intervalMs: 1_000 });
    const first = (await tracker.observe([stream], [stuck("a")], T0))[0]!.insight!;
    const moved = { ...stuck("a"), num_pending: 5 };
    const next = (await tracker.observe([stream], [moved], T0 + 1_000))[0]!.insight!;
    expect(next.spark).not.toBe(first.spark);
    expect(next.spark).toEqual([20, 5]);
    expect(next.lag_msgs).toBe(5);
  });
});
