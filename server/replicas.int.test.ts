import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { startNatsCluster } from "./nats-cluster-process";
import { startNatsServer } from "./nats-server-process";
import { ensureOwnStream } from "./own-streams";
import { withReplicas } from "./replicas";

const ownStream = (name: string, replicas: "auto" | number) => ({
  name,
  subjects: [`own.${name}.>`],
  description: "test",
  maxAgeMs: 60_000,
  maxBytes: 1 << 20,
  duplicateWindowMs: 10_000,
  replicas,
});

describe("busdeck's own storage replicas", () => {
  const stops: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  });

  describe("on a single server", () => {
    let url: string;
    beforeAll(async () => {
      const server = await startNatsServer();
      stops.push(() => server.stop());
      url = server.url;
    });

    it("replicas - auto settles for one replica; an explicit 3 is refused, not silently lowered", async () => {
      const nc = await connect({ servers: url });
      stops.push(() => nc.close());
      const jsm = await jetstreamManager(nc);
      await ensureOwnStream(jsm, ownStream("AUTO", "auto"));
      expect((await jsm.streams.info("AUTO")).config.num_replicas).toBe(1);
      const kv = await withReplicas("auto", (replicas) => new Kvm(nc).create("auto_bucket", { replicas }));
      expect((await kv.status()).replicas).toBe(1);
      await expect(ensureOwnStream(jsm, ownStream("THREE", 3))).rejects.toThrow(/replicas > 1 not supported/);
    });
  });

  describe("on a 3-node cluster", () => {
    let urls: string[];
    beforeAll(async () => {
      const cluster = await startNatsCluster();
      stops.push(() => cluster.stop());
      urls = cluster.urls;
    });

    it("replicas - auto takes three, so busdeck's lock and history survive losing a node", async () => {
      const nc = await connect({ servers: urls });
      stops.push(() => nc.close());
      const jsm = await jetstreamManager(nc);
      await ensureOwnStream(jsm, ownStream("AUTO", "auto"));
      expect((await jsm.streams.info("AUTO")).config.num_replicas).toBe(3);
      const kv = await withReplicas("auto", (replicas) => new Kvm(nc).create("auto_bucket", { replicas }));
      expect((await kv.status()).replicas).toBe(3);
    });
  });
});
