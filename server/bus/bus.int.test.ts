/**
 * The bus servers sampler against real nats-servers: a 3-node cluster read through the system account from one
 * connection (one node down and back), and the HTTP monitoring fallback with a URL that answers garbage.
 */
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Hub } from "../hub/hub";
import { startNatsCluster, type NatsClusterHandle } from "../nats-cluster-process";
import { startGarbageHttp } from "../../testing/probes/garbage-http";
import { freePort, startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { waitFor } from "../../testing/wait-for";
import { createBusSampleTick } from "./sampler";
import { collectSystemSample } from "./system-source";
import { openSystemConnection } from "./index";
import { createMonitorCollector } from "./monitor-source";
import type { BusServersSnapshot } from "../../lib/bus/servers";

describe("bus servers on a real 3-node cluster", () => {
  let cluster: NatsClusterHandle;
  let system: NatsConnection;

  beforeAll(async () => {
    cluster = await startNatsCluster();
    // Only the first node: the sampler must discover the others through the system account.
    system = await connect({
      servers: cluster.urls[0],
      user: cluster.system!.user,
      pass: cluster.system!.password,
      maxReconnectAttempts: -1,
    });
  });

  afterAll(async () => {
    await system?.close();
    await cluster?.stop();
  });

  const sampler = () => {
    const hub = new Hub();
    const tick = createBusSampleTick({ hub, source: "system", collect: () => collectSystemSample(system), intervalMs: 1_000 });
    const sample = async (): Promise<BusServersSnapshot> => (await tick(), hub.getState("bus_servers")!);
    return sample;
  };

  it("bus servers - three servers discovered from one system connection, routes up, JetStream and healthz read", async () => {
    const sample = sampler();
    const snap = await waitFor("three servers with their routes up", async () => {
      const s = await sample();
      return s.servers.length === 3 && s.servers.every((x) => x.routes.length === 2 && x.routes.every((r) => r.up)) && s;
    });
    expect(snap.servers.map((s) => s.name).sort()).toEqual([...cluster.names].sort());
    for (const s of snap.servers) {
      expect(s.state).toBe("up");
      expect(s.version).toBe("2.9.10");
      expect(s.cluster).toBe("busdeck");
      expect(s.connections).toBeGreaterThanOrEqual(0);
      expect(s.healthz?.status).toBe("ok");
      expect(s.jetstream?.max_storage).toBeGreaterThan(0);
      expect(s.health.rule).toBe("healthy");
    }
    expect(cluster.names).toContain(snap.meta_leader);
  });

  it("bus servers - a killed node reads down within 2 samples, its peers' routes to it down; restarted, it recovers", async () => {
    const sample = sampler();
    await waitFor("three servers up", async () => (await sample()).servers.filter((s) => s.state === "up").length === 3);
    const victim = cluster.nodes[2]!;
    const victimName = cluster.names[2]!;
    await victim.crash();
    try {
      await sample();
      const second = await sample();
      const dead = second.servers.find((s) => s.name === victimName)!;
      expect(dead.state).toBe("down");
      expect(dead.health).toMatchObject({ status: "ERR", rule: "server_down" });
      const peer = second.servers.find((s) => s.name === cluster.names[0])!;
      expect(peer.routes.find((r) => r.name === victimName)?.up).toBe(false);
      expect(peer.health).toMatchObject({ status: "ERR", rule: "route_down" });
    } finally {
      await victim.restart();
    }
    // Its healthz says not ok while JetStream catches up: recovered is every server healthy again.
    const back = await waitFor("the restarted node up, healthy, with routes up", async () => {
      const s = await sample();
      return s.servers.every((x) => x.state === "up" && x.health.rule === "healthy") && s;
    });
    expect(back.servers.map((s) => s.name).sort()).toEqual([...cluster.names].sort());
  });

  it("bus servers - losing the node the system connection is on: that node reads down, the others never do", async () => {
    const nodes = cluster.nodes;
    const config = { servers: cluster.urls, name: "bus test" };
    const nc = await openSystemConnection(config, { user: cluster.system!.user, password: cluster.system!.password });
    const hub = new Hub();
    const tick = createBusSampleTick({ hub, source: "system", collect: () => collectSystemSample(nc), intervalMs: 1_000 });
    const sample = async (): Promise<BusServersSnapshot> => (await tick(), hub.getState("bus_servers")!);
    const victim = nodes.find((n) => nc.getServer().endsWith(`:${n.ports.client}`))!;
    const victimName = `busdeck-${victim.ports.client}`;
    try {
      await waitFor("three servers up", async () => (await sample()).servers.filter((s) => s.state === "up").length === 3);
      await victim.crash();
      const seen: BusServersSnapshot[] = [];
      for (let k = 0; k < 2; k++) seen.push(await sample());
      expect(seen[1]!.servers.find((s) => s.name === victimName)?.state).toBe("down");
      const othersDown = seen.flatMap((snap) => snap.servers.filter((s) => s.name !== victimName && s.state === "down").map((s) => s.name));
      expect(othersDown).toEqual([]);
    } finally {
      await victim.restart();
    }
    try {
      await waitFor("every server healthy again", async () => (await sample()).servers.every((s) => s.health.rule === "healthy"));
    } finally {
      await nc.close();
    }
  });
});

describe("bus servers through HTTP monitoring URLs", () => {
  let nats: NatsServerHandle;
  let garbage: { url: string; close: () => void };
  let garbageUrl: string;

  beforeAll(async () => {
    nats = await startNatsServer();
    garbage = await startGarbageHttp();
    garbageUrl = garbage.url;
  });

  afterAll(async () => {
    garbage?.close();
    await nats?.stop();
  });

  it("bus servers - a URL answering garbage reads stale with the error, an unreachable one down within 2 samples, the real one up", async () => {
    const closedUrl = `http://127.0.0.1:${await freePort()}`;
    const hub = new Hub();
    const collect = createMonitorCollector([nats.monitorUrl, garbageUrl, closedUrl], { timeoutMs: 1_000 });
    const tick = createBusSampleTick({ hub, source: "monitor", collect, intervalMs: 1_000 });
    await tick();
    await tick();
    const snap = hub.getState("bus_servers")!;
    expect(snap.source).toBe("monitor");
    const real = snap.servers.find((s) => s.name === `busdeck-${nats.ports.client}`);
    expect(real?.state).toBe("up");
    expect(real?.rates).not.toBeNull();
    const bad = snap.servers.find((s) => s.name === garbageUrl)!;
    expect(bad.state).toBe("stale");
    expect(bad.error).toMatch(/not JSON/);
    const closed = snap.servers.find((s) => s.name === closedUrl)!;
    expect(closed.state).toBe("down");
  });
});
