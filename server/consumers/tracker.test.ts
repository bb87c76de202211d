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
