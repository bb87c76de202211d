/**
 * Consumer lag against a real nats-server: lag in messages and seconds from the JetStream API, and the health
 * status moving through STALL → STOP → OK → WARN → REWIND as the consumer misbehaves. The tracker takes `now`
 * as an argument, so "two minutes later" is a number, not a sleep.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { AckPolicy, jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import type { ConsumerSummary } from "../../lib/consumers/types";
import { Hub } from "../hub/hub";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { mapConsumer, mapStream } from "../samplers/jetstream-map";
import { createSampleTick, pagesOf, startJetStreamSampler } from "../samplers/jetstream-sampler";
import { jetStreamPublishTime } from "./insights";
import { mapLimit } from "../concurrency";
import { ConsumerTracker } from "./tracker";

const STREAM = "ORDERS";
const NAME = "worker";

describe("consumer lag (integration)", () => {
  let srv: NatsServerHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let js: JetStreamClient;
  let tracker: ConsumerTracker;
  let clock = 0;

  /** One sampler-equivalent tick at `clock`, using the same list calls and mapping as the sampler. */
  async function tick(): Promise<ConsumerSummary> {
    const sampledAt = new Date(clock).toISOString();
    const si = await jsm.streams.info(STREAM);
    const stream = { ...mapStream(si, sampledAt), rates: null };
    const list = [];
    for await (const page of pagesOf(jsm.consumers.list(STREAM))) list.push(...page.map((ci) => mapConsumer(ci, sampledAt)));
    const out = await tracker.observe([stream], list, clock);
    return out.find((c) => c.name === NAME)!;
  }

  async function publish(n: number) {
    for (let i = 0; i < n; i++) await js.publish(`orders.created`, JSON.stringify({ i }));
  }

  async function ackNext(n: number) {
    const c = await js.consumers.get(STREAM, NAME);
    const iter = await c.fetch({ max_messages: n, expires: 2_000 });
    for await (const m of iter) await m.ackAck();
  }

  beforeAll(async () => {
    srv = await startNatsServer();
    nc = await connect({ servers: srv.url });
    jsm = await jetstreamManager(nc);
    js = jetstream(nc);
    await jsm.streams.add({ name: STREAM, subjects: ["orders.>"] });
    await jsm.consumers.add(STREAM, { durable_name: NAME, ack_policy: AckPolicy.Explicit, filter_subject: "orders.created" });
    tracker = new ConsumerTracker({ intervalMs: 1_000, fetchPublishTime: jetStreamPublishTime(async () => jsm) });
  });

  afterAll(async () => {
    await nc?.close();
    await srv?.stop();
  });

  it("consumer lag - messages and seconds: the age of the message at ack floor + 1", async () => {
    const publishedFrom = Date.now();
    await publish(10);
    await ackNext(4);
    clock = Date.now() + 5_000;
    const first = await tick();
    // the first tick interpolates from the stream's samples; the exact lookup it started lands for the next one
    expect(first.insight!.lag_seconds_source).toBe("interpolated");
    await tracker.settled();
    const c = await tick();
    expect(c.insight!.lag_msgs).toBe(6);
    expect(c.ack_floor.stream_seq).toBe(4);
    expect(c.insight!.stuck_seq).toBe(5);
    expect(c.insight!.lag_seconds_source).toBe("exact");
    // message 5 was stored between publishedFrom and now; clock is 5 s after now
    expect(c.insight!.lag_seconds).toBeGreaterThanOrEqual(5);
    expect(c.insight!.lag_seconds).toBeLessThanOrEqual((clock - publishedFrom) / 1000);
    expect(c.insight!.health).toMatchObject({ status: "OK", rule: "short_window" });
  });

  it("consumer lag - a filtered consumer's lag seconds skip messages its filter doesn't match", async () => {
    await jsm.consumers.add(STREAM, { durable_name: "audit", ack_policy: AckPolicy.Explicit, filter_subject: "orders.audit" });
    const before = Date.now();
    await js.publish("orders.audit", "a");
    const observeAudit = async () =>
      tracker.observe(
        [{ ...mapStream(await jsm.streams.info(STREAM), new Date(clock).toISOString()), rates: null }],
        [mapConsumer(await jsm.consumers.info(STREAM, "audit"), new Date(clock).toISOString())],
        before + 2_000,
      );
    await observeAudit();
    await tracker.settled();
    const out = await observeAudit();
    const audit = out[0]!.insight!;
    expect(audit.lag_msgs).toBe(1);
    // ack floor + 1 is seq 1 (an orders.created message); the oldest *matching* one is the audit message just stored
    expect(audit.stuck_seq).toBe(11);
    expect(audit.lag_seconds).toBeLessThanOrEqual(2);
    await jsm.consumers.delete(STREAM, "audit");
  });

  it("consumer lag - health moves STALL → STOP → OK → WARN → REWIND with the rule that fired", async () => {
    await ackNext(1); // recent activity; floor 5, 5 pending, nothing in flight
    let c: ConsumerSummary | undefined;
    for (let i = 0; i < 10; i++) {
      clock = Math.max(clock + 1_000, Date.now() + i * 1_000);
      c = await tick();
    }
    expect(c!.insight!.health).toMatchObject({ status: "STALL", rule: "ack_floor_stuck" });
    expect(c!.insight!.health.evidence).toMatch(/^ack floor unchanged at 5 for 10 samples \(9\.\d?s\), lag 5 msgs$/);

    clock += 120_000; // two minutes without a delivery or ack
    c = await tick();
    expect(c.insight!.health).toMatchObject({ status: "STOP", rule: "no_activity" });

    await ackNext(5);
    clock += 1_000;
    c = await tick();
    expect(c.insight!.lag_msgs).toBe(0);
    expect(c.insight!.lag_seconds).toBe(0);
    expect(c.insight!.health).toMatchObject({ status: "OK", rule: "caught_up" });

    // Falls behind: 30 new messages per sample, 5 processed per sample.
    // a full window of it, so the rates cover only this phase
    for (let i = 0; i < 10; i++) {
      await publish(30);
      await ackNext(5);
      clock += 1_000;
      c = await tick();
    }
    expect(c.insight!.health).toMatchObject({ status: "WARN", rule: "lag_growing" });
    expect(c.insight!.drain.state).toBe("never");
    expect(c.insight!.consume_per_s).toBeCloseTo(5, 0);
    expect(c.insight!.ingest_per_s).toBeCloseTo(30, 0);

    // Recreated: the ack floor drops back to 0.
    await jsm.consumers.delete(STREAM, NAME);
    await jsm.consumers.add(STREAM, { durable_name: NAME, ack_policy: AckPolicy.Explicit, filter_subject: "orders.created" });
    clock += 1_000;
    c = await tick();
    expect(c.insight!.health.status).toBe("REWIND");

    const history = tracker.history(STREAM, NAME, "1h", clock)!;
    expect(history.status_history.map((s) => s.status).reverse()).toEqual(["OK", "STALL", "STOP", "OK", "WARN", "REWIND"]);
    expect(history.points.length).toBeGreaterThan(15);
  });

  it("consumer lag - the sampler publishes consumers with their insight to the hub", async () => {
    const hub = new Hub();
    const stop = startJetStreamSampler({
      jsm: async () => jsm,
      hub,
      intervalMs: 200,
      concurrency: 2,
      tracker: new ConsumerTracker({ intervalMs: 200 }),
    });
    try {
      const deadline = Date.now() + 10_000;
      let found: ConsumerSummary | undefined;
      while (Date.now() < deadline && !found) {
        found = hub.getState("consumers")?.consumers.find((c) => c.name === NAME && c.insight !== null);
        if (!found) await new Promise((r) => setTimeout(r, 50));
      }
      expect(found?.insight?.lag_msgs).toBe(found!.num_pending + found!.num_ack_pending);
      // no exact fetcher given: lag seconds come from interpolation (or 0 when caught up)
      expect(["interpolated", "none"]).toContain(found!.insight!.lag_seconds_source);
    } finally {
      stop();
      hub.close();
    }
  });

  it("consumer lag - the sampler reads a consumer list longer than one API page (256) whole, each consumer once", async () => {
    const PAGED = "PAGED";
    await jsm.streams.add({ name: PAGED, subjects: ["paged.>"] });
    const names = Array.from({ length: 300 }, (_, i) => `c${String(i).padStart(3, "0")}`);
    await mapLimit(names, 16, (name) => jsm.consumers.add(PAGED, { durable_name: name, ack_policy: AckPolicy.Explicit }));
    const hub = new Hub();
    try {
      await createSampleTick({
        jsm: async () => jsm,
        hub,
        intervalMs: 1_000,
        concurrency: 2,
        tracker: new ConsumerTracker({ intervalMs: 1_000 }),
      })();
      const sampled = hub
        .getState("consumers")!
        .consumers.filter((c) => c.stream === PAGED)
        .map((c) => c.name);
      expect(sampled.sort()).toEqual(names);
    } finally {
      hub.close();
      await jsm.streams.delete(PAGED);
    }
  });
});
