import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import type { ConnectionState } from "../lib/wire/connection";
import { openNats, watchConnection } from "./nats-connection";
import { startNatsServer, type NatsServerHandle } from "./nats-server-process";

async function until<T>(read: () => T, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function roundTrip(nc: NatsConnection): Promise<string> {
  const sub = nc.subscribe("busdeck.test.echo", { max: 1 });
  nc.publish("busdeck.test.echo", "hello");
  for await (const m of sub) return m.string();
  throw new Error("no message");
}

describe("nats connection", () => {
  let server: NatsServerHandle;
  beforeAll(async () => {
    server = await startNatsServer({ websocket: true });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("nats connection - connects over TCP and round-trips a message", async () => {
    const nc = await openNats({ servers: [server.url] });
    expect(await roundTrip(nc)).toBe("hello");
    await nc.close();
  });

  it("nats connection - connects through the websocket transport for ws:// seeds", async () => {
    const nc = await openNats({ servers: [server.wsUrl!] });
    expect(await roundTrip(nc)).toBe("hello");
    expect(nc.info?.jetstream).toBeTruthy();
    await nc.close();
  });

  it("nats connection - refuses mixed ws:// and nats:// seeds", async () => {
    await expect(openNats({ servers: [server.wsUrl!, server.url] })).rejects.toThrow(/mixes/);
  });

  it("nats connection - reports reconnecting on server loss and connected again after restart", async () => {
    const nc = await openNats({ servers: [server.url] });
    let state: Partial<ConnectionState> = {};
    const stop = watchConnection(nc, (patch) => (state = { ...state, ...patch }), 200);
    expect(state.status).toBe("connected");
    expect(state.server).toBe(server.url.replace("nats://", ""));
    await server.crash();
    await until(
      () => state.status,
      (s) => s === "reconnecting",
    );
    await server.restart();
    await until(
      () => state,
      (s) => s.status === "connected" && s.reconnects === 1,
    );
    expect(await roundTrip(nc)).toBe("hello");
    stop();
    await nc.close();
  });
});
