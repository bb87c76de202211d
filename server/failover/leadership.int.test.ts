import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstreamManager, StorageType } from "@nats-io/jetstream";
import { Hub } from "../hub";
import { startNatsCluster, type NatsClusterHandle } from "../nats-cluster-process";
import { startAdvisorySubscriber } from "../watchers/advisory-subscriber";
import { createFailoverService } from "./failover-service";

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("JetStream leadership on a real 3-node cluster", () => {
  let cluster: NatsClusterHandle;
  let nc: NatsConnection;

  beforeAll(async () => {
    cluster = await startNatsCluster();
    nc = await connect({ servers: cluster.urls, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
  });

  afterAll(async () => {
    await nc?.close();
    await cluster?.stop();
  });

  it("leadership - killing the node that leads a stream records the leader-elected advisory on the timeline", async () => {
    const hub = new Hub();
    const failover = createFailoverService({ hub, persist: false });
    failover.start(nc, () => jetstreamManager(nc));
    const stopAdvisories = startAdvisorySubscriber(nc, hub, { onLeader: failover.recordLeader });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: "ORDERS", subjects: ["orders.>"], num_replicas: 3, storage: StorageType.File });
      const oldLeader = await until("a stream leader", async () => (await jsm.streams.info("ORDERS")).cluster?.leader);
      await cluster.node(oldLeader)!.crash();

      const elected = await until("a new leader on the timeline", () =>
        failover.store
          .query({ from: 0, to: Date.now() + 60_000 })
          .entries.flatMap((e) => (e.source === "jetstream" ? [e.leader] : []))
          .find((l) => l.kind === "stream_leader" && l.stream === "ORDERS" && l.leader && l.leader !== oldLeader),
      );
      expect(cluster.names).toContain(elected.leader);
      expect(hub.getFeed("failover_timeline").some((e) => e.source === "jetstream" && e.leader.stream === "ORDERS")).toBe(true);
      // The dashboard's connection is still usable through the surviving nodes.
      const info = await until("stream info from a surviving node", async () => (await jsm.streams.info("ORDERS").catch(() => null))?.cluster?.leader);
      expect(info).toBe(elected.leader);
    } finally {
      stopAdvisories();
      failover.stop();
    }
  });
});
