/**
 * The loss forecast against a real nats-server: a stream whose max_age evicts the messages of a durable consumer
 * that never fetches. Before, the forecast names max_age and the instant the oldest unprocessed message goes
 * (its stored time + max_age); after, the evicted count is exactly first_seq − ack floor − 1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import { nanos, type NatsConnection } from "@nats-io/nats-core";
import { AckPolicy, jetstream, jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { ConsumerSummary } from "../../lib/consumers/types";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { mapConsumer, mapStream } from "../samplers/jetstream-map";
import { pagesOf } from "../samplers/jetstream-sampler";
import { waitFor } from "../../testing/wait-for";
import { jetStreamPublishTime } from "./insights";
import { ConsumerTracker } from "./tracker";

const STREAM = "EXPIRING";
const NAME = "never-acks";
const MAX_AGE_MS = 4_000;
const PUBLISHED = 5;

describe("loss forecast (integration)", () => {
  let srv: NatsServerHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let tracker: ConsumerTracker;

  /** One sampler-equivalent tick now: the same stream info, consumer list and mapping the sampler uses. */
  async function tick(): Promise<{ consumer: ConsumerSummary; firstSeq: number }> {
    const now = Date.now();
    const sampledAt = new Date(now).toISOString();
    const si = await jsm.streams.info(STREAM);
    const stream = { ...mapStream(si, sampledAt), rates: null };
    const list = [];
    for await (const page of pagesOf(jsm.consumers.list(STREAM))) list.push(...page.map((ci) => mapConsumer(ci, sampledAt)));
    const out = await tracker.observe([stream], list, now);
    return { consumer: out.find((c) => c.name === NAME)!, firstSeq: stream.state.first_seq };
  }

  beforeAll(async () => {
    srv = await startNatsServer();
    nc = await connect({ servers: srv.url });
    jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: STREAM, subjects: ["expiring.>"], max_age: nanos(MAX_AGE_MS) });
    await jsm.consumers.add(STREAM, { durable_name: NAME, ack_policy: AckPolicy.Explicit });
    tracker = new ConsumerTracker({ intervalMs: 1_000, fetchPublishTime: jetStreamPublishTime(async () => jsm) });
  });

  afterAll(async () => {
    await nc?.close();
    await srv?.stop();
  });

  it("loss forecast - max_age: predicted from the oldest unprocessed message's time, then the evicted count is exact", async () => {
    const js = jetstream(nc);
    for (let i = 0; i < PUBLISHED; i++) await js.publish("expiring.created", JSON.stringify({ i }));
    const storedAt = Date.parse((await jsm.streams.getMessage(STREAM, { seq: 1 }))!.time.toISOString());

    // the first tick interpolates the oldest message's time; the exact lookup it starts lands for the next
    await tick();
    await tracker.settled();
    const before = await tick();
    const forecast = before.consumer.insight!.loss!;
    expect(before.firstSeq).toBe(1);
    expect(forecast).toMatchObject({ kind: "evicts_in", limit: "max_age" });
    expect(before.consumer.insight!.lag_seconds_source).toBe("exact");
    // the instant it forecast: the sample's time plus its ms, i.e. the stored time plus max_age
    expect(Date.parse(before.consumer.sampled_at) + forecast.ms!).toBe(storedAt + MAX_AGE_MS);

    const after = await waitFor("the stream to evict its messages", async () => {
      const t = await tick();
      return t.firstSeq > PUBLISHED ? t : null;
    });
    const floor = after.consumer.ack_floor.stream_seq;
    expect(floor).toBe(0);
    expect(after.consumer.insight!.loss).toMatchObject({ kind: "already_evicted", exact: true, evicted: after.firstSeq - floor - 1 });
    expect(after.consumer.insight!.loss!.evicted).toBe(PUBLISHED);
    // the silent loss: nothing reads as lag any more
    expect(after.consumer.insight!.lag_msgs).toBe(0);
  });
});
