import { describe, expect, it } from "vitest";
import { DEFAULT_HEALTH_CONFIG } from "../../lib/consumers/health";
import { toConsumerRow, type ConsumerBase } from "../../lib/consumers/types";
import { consumerSummary } from "../../testing/fixtures/consumer";
import type { StreamSummary } from "../../lib/streams/types";
import { streamSummary } from "../../testing/fixtures/stream";
import { ConsumerTracker } from "./tracker";

const T0 = Date.parse("2026-11-23T12:00:00Z");
const stream: StreamSummary = streamSummary("S", {
  state: { first_seq: 1, last_seq: 20, first_ts: "2026-11-23T11:00:00Z", last_ts: "2026-11-23T11:59:00Z" },
});
/** A consumer 20 messages behind with an ack floor that never moves. */
const stuck = (name: string): ConsumerBase => {
  const { insight: _, ...base } = consumerSummary("S", name, { lag: 20 });
  return base;
};

describe("consumer tracker", () => {
  it("consumer tracker - a stuck consumer on a stream with max_age gets a loss forecast, and its row's eviction instant holds", async () => {
    // #1…#20 published over 11:00–11:59, kept 2 h; the consumer's ack floor is 0: #1 goes at 13:00
    const aged = streamSummary("S", { ...stream, config: { max_age_ms: 7_200_000 } });
    const tracker = new ConsumerTracker({ intervalMs: 1_000 });
    const first = (await tracker.observe([aged], [stuck("a")], T0))[0]!;
    const later = (await tracker.observe([aged], [stuck("a")], T0 + 5_000))[0]!;
    expect(first.insight!.loss).toMatchObject({ kind: "evicts_in", limit: "max_age", ms: 3_600_000 });
    expect(later.insight!.loss).toMatchObject({ kind: "evicts_in", ms: 3_595_000 });
    const evictsAt = Date.parse("2026-11-23T13:00:00Z");
    expect(toConsumerRow(first, undefined, T0).insight!.loss_brief).toEqual({ kind: "evicts_in", limit: "max_age", value: evictsAt });
    expect(toConsumerRow(later, undefined, T0 + 5_000).insight!.loss_brief).toEqual({
      kind: "evicts_in",
      limit: "max_age",
      value: evictsAt,
    });
    // without limits: no forecast at all
    expect((await tracker.observe([stream], [stuck("a")], T0 + 6_000))[0]!.insight!.loss).toBeUndefined();
  });

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
      ["S", "T"].flatMap((s) =>
        ["a", "b", "c"].map((name, i): ConsumerBase => ({
          ...stuck(name),
          stream: s,
          num_pending: (k * (i + 1)) % 7,
          ack_floor: { consumer_seq: k, stream_seq: k, last_active: null },
        })),
      );
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
    const withHistory = (tr: ConsumerTracker) =>
      ["S", "T"].flatMap((s) =>
        ["a", "b", "c"].filter((n) => tr.history(s, n, "1h", T0 + 15_000)!.points.length > 0).map((n) => `${s}/${n}`),
      );
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

  it("consumer tracker - a replica that took over judges a still consumer under its own thresholds before keeping a verdict", async () => {
    const never = (): ConsumerBase => ({
      ...stuck("a"),
      created: new Date(T0 - 1_000).toISOString(),
      ack_floor: { consumer_seq: 0, stream_seq: 0, last_active: null },
      delivered: { consumer_seq: 0, stream_seq: 0, last_active: null },
    });
    const leader = new ConsumerTracker({ intervalMs: 1_000 }); // STOP after a minute without activity
    const follower = new ConsumerTracker({ intervalMs: 1_000, health: { ...DEFAULT_HEALTH_CONFIG, stopAfterMs: 3_600_000 } });
    for (let k = 0; k < 80; k++) follower.adopt([stream], await leader.observe([stream], [never()], T0 + k * 1_000), T0 + k * 1_000);
    expect(follower.latest[0]!.insight!.health.rule).toBe("no_activity");
    const own = (await follower.observe([stream], [never()], T0 + 80_000))[0]!.insight!;
    expect(own.health.rule).toBe("ack_floor_stuck");
  });

  it("consumer tracker - keeping a still consumer's verdict gives what judging every window gives, tick by tick", async () => {
    // Consumers that sit still (caught up; stopped), that stall and then stop, that are active but stuck, that
    // get dead letters while still, that move again after a long still stretch, and one created with a backlog
    // that nothing ever pulls (STALL while young, then STOP). Samples come up to ±450 ms off the second, so a
    // STALL window's span rounds to 8, 9 or 10 s and its text changes now and then.
    const iso = (ms: number) => new Date(ms).toISOString();
    const at = (k: number) => T0 + k * 1_000 + ((k * 7_919) % 900) - 450;
    const consumer = (name: string, k: number): ConsumerBase => {
      const base = stuck(name);
      const seq = (stream_seq: number, last_active: string | null) => ({ consumer_seq: stream_seq, stream_seq, last_active });
      switch (name) {
        case "caught-up":
          return { ...base, num_pending: 0, ack_floor: seq(20, iso(T0 - 5_000)), delivered: seq(20, iso(T0 - 5_000)) };
        case "stalls-then-stops": // active until tick 10, then nothing: STALL, later STOP (60 s idle)
          return { ...base, ack_floor: seq(3, iso(at(Math.min(k, 10)))), delivered: seq(10, iso(at(Math.min(k, 10)))) };
        case "active-but-stuck": // delivered keeps its last_active fresh, the ack floor never moves
          return { ...base, ack_floor: seq(3, iso(T0)), delivered: seq(10, iso(at(k))) };
        case "dead-letters": // still and stopped, then max-deliver advisories at tick 90
          return { ...base, ack_floor: seq(3, null), delivered: seq(3, null) };
        case "never-active":
          return { ...base, created: iso(T0 - 1_000), ack_floor: seq(0, null), delivered: seq(0, null) };
        case "moves-again": // caught up and still, then 7 behind from tick 100, caught up again from tick 110
          return {
            ...base,
            num_pending: k >= 100 && k < 110 ? 7 : 0,
            ack_floor: seq(k >= 110 ? 27 : 20, iso(at(k >= 100 ? Math.min(k, 110) : 0))),
            delivered: seq(k >= 100 ? 27 : 20, iso(at(k >= 100 ? Math.min(k, 110) : 0))),
          };
        default:
          return { ...base, num_ack_pending: base.config.max_ack_pending, num_redelivered: 30 }; // pinned, NAK loop
      }
    };
    const names = ["caught-up", "stalls-then-stops", "active-but-stuck", "dead-letters", "moves-again", "never-active", "pinned"];
    const judged = new ConsumerTracker({ intervalMs: 1_000, alwaysJudge: true });
    const kept = new ConsumerTracker({ intervalMs: 1_000 });
    const rules = new Set<string>();
    const stallTexts = new Set<string>();
    for (let k = 0; k < 130; k++) {
      if (k === 90) {
        for (const tr of [judged, kept])
          tr.recordAdvisory({
            type: "io.nats.jetstream.advisory.v1.max_deliver",
            subject: "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.S.dead-letters",
            stream: "S",
            consumer: "dead-letters",
            stream_seq: 4,
            deliveries: 3,
            leader: null,
            at: iso(at(k)),
          });
      }
      const list = names.map((n) => consumer(n, k));
      const expected = await judged.observe([stream], list, at(k));
      expect(await kept.observe([stream], list, at(k))).toEqual(expected);
      for (const c of expected) rules.add(`${c.name}:${c.insight!.health.rule}`);
      if (expected[5]!.insight!.health.rule === "ack_floor_stuck") stallTexts.add(expected[5]!.insight!.health.evidence);
    }
    for (const n of names) expect(kept.history("S", n, "1h", at(130))).toEqual(judged.history("S", n, "1h", at(130)));
    // the scenario reaches the verdicts it means to
    expect([...rules]).toEqual(
      expect.arrayContaining([
        "caught-up:caught_up",
        "stalls-then-stops:ack_floor_stuck",
        "stalls-then-stops:no_activity",
        "active-but-stuck:ack_floor_stuck",
        "dead-letters:no_activity",
        "dead-letters:max_deliveries",
        "moves-again:lag_steady",
        "moves-again:caught_up",
        "never-active:ack_floor_stuck",
        "never-active:no_activity",
        "pinned:redelivery_storm",
      ]),
    );
    expect(stallTexts.size).toBeGreaterThan(1);
  });

  it("consumer tracker - a change of the consumer's leader is recorded for its chart, once, with both servers", async () => {
    const tracker = new ConsumerTracker({ intervalMs: 1_000 });
    const led = (leader: string, at: number): ConsumerBase => ({
      ...stuck("a"),
      cluster: { name: "c", leader, replicas: [] },
      sampled_at: new Date(at).toISOString(),
    });
    await tracker.observe([stream], [led("n1", T0)], T0);
    await tracker.observe([stream], [led("n3", T0 + 1_000)], T0 + 1_000);
    await tracker.observe([stream], [led("n3", T0 + 2_000)], T0 + 2_000);
    expect(tracker.history("S", "a", "15m", T0 + 3_000)!.leader_changes).toEqual([
      { at: new Date(T0 + 1_000).toISOString(), from: "n1", to: "n3" },
    ]);
  });
});
