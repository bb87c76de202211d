/**
 * Consumer provenance on a real 3-node cluster: the node leading consumers is killed. While the list reports the
 * R1 consumer missing, it reads unknown with its last reading (never 0) on the rows topic and has no /metrics
 * sample; the R3 consumer names its new leader; once the node is back the R1 consumer is known again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { AckPolicy, jetstreamManager, StorageType, type JetStreamManager } from "@nats-io/jetstream";
import { Registry } from "prom-client";
import { Hub } from "../hub/hub";
import { startNatsCluster, type NatsClusterHandle } from "../nats-cluster-process";
import { createSampleTick } from "../samplers/jetstream-sampler";
import { waitFor } from "../../testing/wait-for";
import { registerConsumerMetrics } from "./insights";
import { deriveConsumerRows } from "./rows";
import { ConsumerTracker } from "./tracker";

const STREAM = "ORDERS";
const PUBLISHED = 5;

describe("consumer provenance on a 3-node cluster (integration)", () => {
  let cluster: NatsClusterHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    cluster = await startNatsCluster();
    nc = await connect({ servers: cluster.urls, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
    // The list waits ~4 s for a dead leader before it names the consumer missing: more than the 5 s default leaves under load.
    jsm = await jetstreamManager(nc, { timeout: 20_000 });
  });

  afterAll(async () => {
    await nc?.close();
    await cluster?.stop();
  });

  const leaderOf = async (name: string) => (await jsm.consumers.info(STREAM, name)).cluster?.leader;

  it("provenance - a consumer whose leader is killed reads unknown (not 0) and has no metric sample, then names its leader", async () => {
    await jsm.streams.add({ name: STREAM, subjects: ["orders.>"], num_replicas: 3, storage: StorageType.File });
    await jsm.consumers.add(STREAM, { durable_name: "r1", ack_policy: AckPolicy.Explicit, num_replicas: 1 });
    await jsm.consumers.add(STREAM, { durable_name: "worker", ack_policy: AckPolicy.Explicit, num_replicas: 3 });
    for (let i = 0; i < PUBLISHED; i++) await nc.request("orders.created", new TextEncoder().encode(String(i)));
    const victimName = (await waitFor("r1's leader", () => leaderOf("r1")))!;
    // the R3 consumer steps down until the same node leads it, so one kill shows both cases
    await waitFor(
      "worker led by r1's leader",
      async () => {
        if ((await leaderOf("worker")) === victimName) return true;
        await nc.request(`$JS.API.CONSUMER.LEADER.STEPDOWN.${STREAM}.worker`, undefined, { timeout: 5_000 });
        await waitFor("worker's new leader", () => leaderOf("worker"));
        return false;
      },
      60_000,
    );

    const hub = new Hub();
    const stopRows = deriveConsumerRows(hub);
    const tracker = new ConsumerTracker({ intervalMs: 1_000 });
    const registry = new Registry();
    registerConsumerMetrics(registry, tracker, 1_000);
    const tick = createSampleTick({ jsm: async () => jsm, hub, intervalMs: 1_000, concurrency: 2, tracker });
    const rows = () => hub.getState("consumer_rows")!;
    const row = (name: string) => rows().items.find((r) => r.name === name);
    const victim = cluster.node(victimName)!;
    try {
      await tick();
      expect(row("r1")!.num_pending).toBe(PUBLISHED);
      expect(await registry.metrics()).toContain(`busdeck_consumer_lag_messages{stream="${STREAM}",consumer="r1"} ${PUBLISHED}`);

      await victim.crash();
      const since = await waitFor("r1 reported unknown", async () => (await tick(), rows().meta.unknown?.[`${STREAM}/r1`]), 60_000);
      expect(Date.parse(since)).toBeGreaterThan(0);
      expect(row("r1")!.num_pending).toBe(PUBLISHED); // its last good reading, not 0
      expect(row("r1")!.cluster?.leader).toBe(victimName);
      const metrics = await registry.metrics();
      expect(metrics).not.toMatch(/consumer="r1"/);
      const newLeader = await waitFor(
        "worker's new leader",
        async () => {
          await tick();
          const leader = row("worker")?.cluster?.leader;
          return leader && leader !== victimName ? leader : null;
        },
        60_000,
      );
      expect(cluster.names).toContain(newLeader);
    } finally {
      await victim.restart();
    }
    const back = await waitFor("r1 known again", async () => (await tick(), rows().meta.unknown ? null : row("r1")), 60_000);
    expect(back.cluster?.leader).toBe(victimName);
    expect(await registry.metrics()).toContain(`busdeck_consumer_lag_messages{stream="${STREAM}",consumer="r1"} ${PUBLISHED}`);
    stopRows();
    hub.close();
  }, 240_000);
});
