/**
 * A spec's own nats-server, a connection to it, and busdeck started on it — stopped after the spec, and
 * restartable, for specs about what a dashboard keeps across a restart. Registers the spec's hooks.
 */
import { connect } from "@nats-io/transport-node";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { test } from "@playwright/test";
import { startNatsServer, type NatsServerHandle } from "../../server/nats-server-process";
import { startApp, type AppHandle } from "./app-process";

export interface OwnBus {
  nats: NatsServerHandle;
  nc: NatsConnection;
  /** The running dashboard (after `startApp`). */
  app: AppHandle;
  /** Starts busdeck on this bus with `env`, stopping the one running first (a restart). */
  startApp(): Promise<AppHandle>;
}

/** Call in a `test.describe`: `prepare` creates the streams and consumers the spec needs before any test. */
export function useOwnBus(env: Record<string, string>, prepare: (jsm: JetStreamManager) => Promise<void>): OwnBus {
  let running: AppHandle | undefined;
  const bus = {
    get app(): AppHandle {
      if (!running) throw new Error("useOwnBus: startApp() first");
      return running;
    },
    async startApp() {
      const previous = running;
      running = undefined;
      await previous?.stop();
      running = await startApp({ NATS_URL: bus.nats.url, ...env });
      return running;
    },
  } as OwnBus;
  test.beforeAll(async () => {
    bus.nats = await startNatsServer();
    bus.nc = await connect({ servers: bus.nats.url });
    await prepare(await jetstreamManager(bus.nc));
  });
  test.afterAll(async () => {
    await running?.stop();
    await bus.nc?.close();
    await bus.nats?.stop();
  });
  return bus;
}
