import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstreamManager, StorageType } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { Hub } from "../hub/hub";
import { startNatsCluster, type NatsClusterHandle } from "../nats-cluster-process";
import { startAdvisorySubscriber } from "../watchers/advisory-subscriber";
import { startLockWatcher } from "../watchers/lock-watcher";
import { createFailoverService } from "./failover-service";
import { waitFor as until } from "../../testing/wait-for";

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
    let restartAfter: (() => Promise<void>) | null = null;
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: "ORDERS", subjects: ["orders.>"], num_replicas: 3, storage: StorageType.File });
      const oldLeader = await until("a stream leader", async () => (await jsm.streams.info("ORDERS")).cluster?.leader);
      const victim = cluster.node(oldLeader)!;
      await victim.crash();
      restartAfter = () => victim.restart();

      const elected = await until("a new leader on the timeline", () =>
        failover.store
          .query({ from: 0, to: Date.now() + 60_000 })
          .entries.flatMap((e) => (e.source === "jetstream" ? [e.leader] : []))
          .find((l) => l.kind === "stream_leader" && l.stream === "ORDERS" && l.leader && l.leader !== oldLeader),
      );
      expect(cluster.names).toContain(elected.leader);
      expect(hub.getFeed("failover_timeline").some((e) => e.source === "jetstream" && e.leader.stream === "ORDERS")).toBe(true);
      // The dashboard's connection is still usable through the surviving nodes.
      const info = await until(
        "stream info from a surviving node",
        async () => (await jsm.streams.info("ORDERS").catch(() => null))?.cluster?.leader,
      );
      expect(info).toBe(elected.leader);
    } finally {
      stopAdvisories();
      failover.stop();
      await restartAfter?.(); // the next test needs all three peers again
    }
  });

  it("leadership - the lock watcher keeps up after the node hosting its KV watch dies", async () => {
    const writer = await connect({ servers: cluster.urls, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
    const hub = new Hub();
    const failover = createFailoverService({ hub, persist: false });
    failover.start(nc, () => jetstreamManager(nc));
    const stopWatcher = startLockWatcher({ nc, hub, buckets: ["locks"], failover, retryMs: 200 });
    let stopWriting = false;
    try {
      // Right after a node rejoins, placing three replicas can fail for a moment.
      const kv = await until("an R3 bucket", () => new Kvm(writer).create("locks", { history: 10, replicas: 3 }).catch(() => null));
      let revision = await kv.create("dedup", new TextEncoder().encode("replica-a"));
      const writing = (async () => {
        while (!stopWriting) {
          await new Promise((r) => setTimeout(r, 300));
          revision = await kv.update("dedup", new TextEncoder().encode("replica-a"), revision).catch(() => revision);
        }
      })();
      const seenRevision = () => hub.getState("singletons")?.singletons.find((s) => s.key === "dedup")?.last_revision ?? 0;
      await until("the watcher to see the lock", () => seenRevision() > 0);
      const jsm = await jetstreamManager(nc);
      const watchNode = await until("the watch's ordered consumer", async () => {
        for await (const c of jsm.consumers.list("KV_locks")) if (c.cluster?.leader) return c.cluster.leader;
        return null;
      });
      await cluster.node(watchNode)!.crash();
      const killedAt = revision;
      // Renews resume once the KV stream has a leader again; the watcher must follow them, not stall.
      await until(
        "the watcher to see renews written after the kill",
        () => revision > killedAt + 3 && seenRevision() >= killedAt + 3,
        45_000,
      );
      expect(hub.getState("singletons")?.singletons.find((s) => s.key === "dedup")?.holder).toBe("replica-a");
      stopWriting = true;
      await writing;
    } finally {
      stopWriting = true;
      stopWatcher();
      failover.stop();
      await writer.close();
    }
  });
});
