/**
 * The bus connections sampler against a real nats-server with a system account: the demo's slow subscriber
 * (a connection that never reads) is cut off by the server and read back as a Slow Consumer closure with its
 * name, counted once; over HTTP monitoring, a URL answering garbage reads stale with the error.
 */
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Hub } from "../hub/hub";
import { startGarbageHttp } from "../../testing/probes/garbage-http";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { waitFor } from "../../testing/wait-for";
import { burst, openNonReadingSubscriber, SLOW_SUBSCRIBER_NAME } from "../demo/slow-subscriber";
import { createConnectionsSampleTick } from "./sampler";
import { collectSystemConnections } from "./system-source";
import { createMonitorConnectionsCollector } from "./monitor-source";
import type { BusConnectionsSnapshot } from "../../lib/bus/connections";
import { fromConnectionsTopic } from "../../lib/bus/connections-topic";

/** Small limits so a non-reading subscriber is cut off after an 8 MB burst, within a second. */
const SMALL_LIMITS = { maxPendingBytes: 2 * 1024 * 1024, extraConfig: 'write_deadline: "500ms"' };

describe("bus connections on a real nats-server", () => {
  let nats: NatsServerHandle;
  let app: NatsConnection;
  let system: NatsConnection;

  beforeAll(async () => {
    nats = await startNatsServer(SMALL_LIMITS);
    app = await connect({ servers: nats.url, name: "int-publisher" });
    system = await connect({ servers: nats.url, user: nats.system!.user, pass: nats.system!.password });
  });

  afterAll(async () => {
    await app?.close();
    await system?.close();
    await nats?.stop();
  });

  const sampler = () => {
    const hub = new Hub();
    const tick = createConnectionsSampleTick({ hub, source: "system", collectConnections: () => collectSystemConnections(system) });
    return async (): Promise<BusConnectionsSnapshot> => (await tick(), fromConnectionsTopic(hub.getState("bus_connections")!));
  };

  it("bus connections - open connections are listed with name, account, client and RTT", async () => {
    const sample = sampler();
    const snap = await sample();
    expect(snap.servers).toEqual([expect.objectContaining({ name: `busdeck-${nats.ports.client}`, state: "up" })]);
    const publisher = snap.open.find((r) => r.name === "int-publisher");
    expect(publisher).toMatchObject({ account: "APP", lang: "nats.js", version: expect.any(String) });
    expect(publisher?.rtt_ms).not.toBeNull();
  });

  it("bus connections - a slow core subscriber is cut off and shows as a Slow Consumer closed connection with its name, counted once", async () => {
    const sample = sampler();
    await sample();
    const socket = await openNonReadingSubscriber(app.getServer(), "int.slow.subject");
    try {
      await burst(app, "int.slow.subject", 8 * 1024 * 1024);
      const snap = await waitFor("the slow subscriber's closure", async () => {
        const s = await sample();
        return s.closed.some((c) => c.name === SLOW_SUBSCRIBER_NAME) && s;
      });
      const closed = snap.closed.find((c) => c.name === SLOW_SUBSCRIBER_NAME)!;
      expect(closed.reason).toMatch(/^Slow Consumer/);
      expect(closed.slow_consumer).toBe(true);
      expect(closed.stopped).not.toBeNull();
      expect(snap.slow_consumers).toEqual([expect.objectContaining({ client: SLOW_SUBSCRIBER_NAME, count: 1, account: "APP" })]);
      const again = await sample();
      expect(again.slow_consumers[0]!.count).toBe(1);
    } finally {
      socket.destroy();
    }
  });
});

describe("bus connections through HTTP monitoring URLs", () => {
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

  it("bus connections - a URL answering garbage reads stale with the error; the real server's connections are listed", async () => {
    const nc = await connect({ servers: nats.url, name: "monitored-client" });
    try {
      const hub = new Hub();
      const collectConnections = createMonitorConnectionsCollector([nats.monitorUrl, garbageUrl], { timeoutMs: 1_000 });
      const tick = createConnectionsSampleTick({ hub, source: "monitor", collectConnections });
      await tick();
      const snap = fromConnectionsTopic(hub.getState("bus_connections")!);
      expect(snap.servers.find((s) => s.name === nats.monitorUrl)?.state).toBe("up");
      expect(snap.open.some((r) => r.name === "monitored-client")).toBe(true);
      const bad = snap.servers.find((s) => s.name === garbageUrl)!;
      expect(bad).toMatchObject({ state: "stale", error: expect.stringContaining("connz open") });
    } finally {
      await nc.close();
    }
  });
});
