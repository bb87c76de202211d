/**
 * A bus server's history against real nats-servers: one server holds busdeck's history stream, another is sampled
 * through its monitoring URL. Its figures are written one record per step, and a reader opened afresh (as after a
 * restart) reads them back for a range — including the steps after the sampled server was killed, as down.
 */
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Hub } from "../hub/hub";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { openHistoryStore, type HistoryConfig } from "../history/history-store";
import { waitFor } from "../../testing/wait-for";
import { createBusSampleTick } from "./sampler";
import { createMonitorCollector } from "./monitor-source";
import { createServerHistoryRecorder, startServerHistory } from "./server-history";

const STEP_MS = 200;
const CONFIG: HistoryConfig = {
  enabled: true,
  stream: "BUSDECK_HISTORY_TEST",
  prefix: "busdeck-test",
  stepMs: STEP_MS,
  maxAgeMs: 3_600_000,
  maxBytes: 64 * 1024 * 1024,
};

describe("bus server history on real nats-servers", () => {
  let store: NatsServerHandle;
  let sampled: NatsServerHandle;
  const conns: NatsConnection[] = [];

  const openStore = async () => {
    const nc = await connect({ servers: store.url });
    conns.push(nc);
    return openHistoryStore(nc, await jetstreamManager(nc), { ...CONFIG, replicas: 1 });
  };

  beforeAll(async () => {
    [store, sampled] = await Promise.all([startNatsServer(), startNatsServer()]);
  });

  afterAll(async () => {
    await Promise.all(conns.map((c) => c.close()));
    await Promise.all([store?.stop(), sampled?.stop()]);
  });

  it("bus server history - steps written while sampling are read back by a new reader, up to the server going down", async () => {
    const writer = await openStore();
    const hub = new Hub();
    const written: number[] = [];
    const history = startServerHistory(hub, {
      onStep: createServerHistoryRecorder({
        write: async (r) => (await writer.writeServers(r), void written.push(r.t)),
        stepMs: STEP_MS,
        leading: () => true,
      }),
    });
    const collect = createMonitorCollector([sampled.monitorUrl], { timeoutMs: 500 });
    const tick = createBusSampleTick({ hub, source: "monitor", collect, intervalMs: STEP_MS });
    const t0 = Date.now();
    const sampleUntil = async (what: string, done: () => boolean) =>
      waitFor(what, async () => (await tick(), await new Promise((r) => setTimeout(r, STEP_MS / 2)), done()), 20_000);

    const name = await waitFor("the sampled server named by its VARZ", async () => {
      await tick();
      return hub.getState("bus_servers")?.servers[0]?.version ? hub.getState("bus_servers")!.servers[0]!.name : false;
    });
    await sampleUntil("five steps written with rates", () => written.length >= 5 && history.get(name).at(-1)!.in_msgs_per_s !== null);
    const upTo = Date.now();
    await sampled.crash();
    await sampleUntil("three samples while it is down", () => history.get(name).filter((p) => p.state === "down").length >= 3);
    await waitFor("the down steps stored", async () => written.filter((t) => t > upTo).length >= 2);
    history.stop();

    // A fresh connection and store: nothing of the writer's memory.
    const reader = await openStore();
    const range = await reader.readServer(name, t0, Date.now() + 1);
    expect(range.complete).toBe(true);
    expect(range.step_ms).toBe(STEP_MS);
    const up = range.points.filter((p) => p.state === "up");
    const down = range.points.filter((p) => p.state === "down");
    expect(up.length).toBeGreaterThanOrEqual(4);
    expect(down.length).toBeGreaterThanOrEqual(1);
    // one point per step, in order; figures while up, none once down
    const steps = range.points.map((p) => Math.floor(p.t / STEP_MS));
    for (let i = 1; i < steps.length; i++) expect(steps[i]!).toBeGreaterThan(steps[i - 1]!);
    for (const p of up) {
      expect(p.connections).toBeGreaterThanOrEqual(0);
      expect(p.mem_bytes).toBeGreaterThan(0);
      expect(p.js_storage).not.toBeNull();
    }
    expect(up.some((p) => p.in_msgs_per_s !== null)).toBe(true);
    for (const p of down) expect(p).toMatchObject({ cpu: null, mem_bytes: null, connections: null, js_memory: null });
    expect(Math.max(...up.map((p) => p.t))).toBeLessThan(Math.min(...down.map((p) => p.t)));

    // A range that ends before the crash holds only the steps before it; another server's name, none.
    const before = await reader.readServer(name, t0, upTo);
    expect(before.points.length).toBeGreaterThan(0);
    expect(before.points.every((p) => p.state !== "down" && p.t < upTo)).toBe(true);
    expect((await reader.readServer("nobody", t0, Date.now())).points).toEqual([]);
  });
});
