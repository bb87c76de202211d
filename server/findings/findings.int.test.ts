/**
 * Findings against a real nats-server, through the whole runtime: a consumer that stops acknowledging opens a
 * STALL finding on /api/findings once the hysteresis has seen it hold, and it resolves once the consumer drains.
 * Findings are kept in BUSDECK_FINDINGS: a restarted replica serves the open one with the same `since`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { AckPolicy, jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { GET } from "../../app/api/findings/route";
import type { Finding } from "../../lib/findings/finding";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { createRuntime, installRuntime, type Runtime } from "../runtime";
import { waitFor } from "../../testing/wait-for";

const STREAM = "ORDERS";
const ENV = { BUSDECK_SAMPLE_INTERVAL_MS: "150", BUSDECK_CONSUMER_WINDOW: "3" };
const CONSUMER = "billing";
const ID = `consumer_health:consumer:${STREAM}/${CONSUMER}`;

async function findings(state: "open" | "resolved"): Promise<Finding[]> {
  const response = await GET(new Request(`http://busdeck.test/api/findings?state=${state}`));
  expect(response.status).toBe(200);
  return ((await response.json()) as { findings: Finding[] }).findings;
}

describe("findings (integration)", () => {
  let server: NatsServerHandle;
  let rt: Runtime;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    server = await startNatsServer({});
    // A short sample interval and health window so the stall is judged within a few seconds.
    rt = await createRuntime({ NATS_URL: server.url, BUSDECK_FLEET_ID: "leader", ...ENV });
    installRuntime(rt);
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
    js = jetstream(nc);
    await jsm.streams.add({ name: STREAM, subjects: ["orders.>"] });
    await jsm.consumers.add(STREAM, { durable_name: CONSUMER, ack_policy: AckPolicy.Explicit });
  });
  afterAll(async () => {
    installRuntime(null);
    await nc?.close();
    await rt?.stop();
    await server?.stop();
  });

  it("findings - a stalled consumer opens a critical finding, which resolves when the consumer drains, on every replica", async () => {
    // Started once `rt` holds the sampler lock: this replica only follows the elected sampler's findings.
    await waitFor("the first replica to lead", () => rt.fleet()?.status().role === "leader");
    const follower = await createRuntime({ NATS_URL: server.url, BUSDECK_FLEET_ID: "follower", ...ENV });
    const followerSees = (state: "open" | "resolved") => follower.hub.getState("findings")?.[state].find((f) => f.id === ID);
    try {
      for (let i = 0; i < 5; i++) await js.publish("orders.created", JSON.stringify({ i }));
      const opened = await waitFor("the stall finding to open", async () => (await findings("open")).find((f) => f.id === ID));
      expect(opened).toMatchObject({
        state: "open",
        severity: "critical",
        rule: "consumer_health",
        entity: { kind: "consumer", stream: STREAM, consumer: CONSUMER },
        link: `/consumers/${STREAM}/${CONSUMER}`,
        resolved_at: null,
      });
      expect(opened.evidence).toMatch(/^STALL/);
      expect(rt.hub.getState("findings")?.open.map((f) => f.id)).toContain(ID);
      expect(await waitFor("the follower to have it open", () => followerSees("open"))).toMatchObject({ since: opened.since });
      // the follower's "evaluated … ago" is the sampler's evaluation: the time of the sample it took, as the follower received it
      await waitFor("the follower to show the sampler's evaluation time", () => {
        const evaluatedAt = follower.hub.getState("findings")?.evaluated_at;
        return evaluatedAt && evaluatedAt === follower.hub.getState("consumers")?.sampled_at;
      });

      const messages = await (await js.consumers.get(STREAM, CONSUMER)).fetch({ max_messages: 5, expires: 2_000 });
      for await (const m of messages) await m.ackAck();

      const resolved = await waitFor("the stall finding to resolve", async () => (await findings("resolved")).find((f) => f.id === ID));
      expect(resolved).toMatchObject({ state: "resolved", since: opened.since });
      expect(Date.parse(resolved.resolved_at!)).toBeGreaterThan(Date.parse(opened.since));
      expect((await findings("open")).map((f) => f.id)).not.toContain(ID);
      expect(await waitFor("the follower to have it resolved", () => followerSees("resolved"))).toMatchObject({ since: opened.since });
      expect(followerSees("open")).toBeUndefined();
      expect(follower.fleet()?.status().role).toBe("follower");
    } finally {
      await follower.stop();
    }
  });

  it("findings - a restarted busdeck resumes the open finding from BUSDECK_FINDINGS with its since", async () => {
    const shipping = `consumer_health:consumer:${STREAM}/shipping`;
    await jsm.consumers.add(STREAM, { durable_name: "shipping", ack_policy: AckPolicy.Explicit });
    const opened = await waitFor("the shipping stall to open", async () => (await findings("open")).find((f) => f.id === shipping));
    await waitFor("the opened event to be stored", async () => (await jsm.streams.info("BUSDECK_FINDINGS")).state.messages >= 3);

    installRuntime(null);
    await rt.stop();
    rt = await createRuntime({ NATS_URL: server.url, BUSDECK_FLEET_ID: "restarted", ...ENV });
    installRuntime(rt);

    const resumed = await waitFor("the restarted replica to serve it", async () => (await findings("open")).find((f) => f.id === shipping));
    expect(resumed).toMatchObject({ state: "open", severity: "critical", since: opened.since });
    // the overview's timeline: the replayed events, this replica's own memory of the day
    const history = rt.findingHistory(Date.parse(opened.since));
    expect(history.filter((e) => e.finding.id === shipping).map((e) => [e.type, e.finding.since])).toEqual([["opened", opened.since]]);
    expect(rt.findingHistory(0).some((e) => e.finding.id === ID && e.type === "resolved")).toBe(true);
    expect(rt.findingHistory(Date.now() + 60_000)).toEqual([]);
  });
});
