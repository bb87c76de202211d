/**
 * The bus servers view's producer: a system-account connection of its own when busdeck has system credentials
 * (used only for `$SYS.REQ.SERVER.PING.*`), else the HTTP monitoring URLs, else a snapshot that says what to
 * configure. System credentials stay in this module's connection: nothing of them reaches the hub.
 */
import "server-only";
import type { NatsConnection } from "@nats-io/nats-core";
import { emptyBusServersSnapshot } from "../../lib/bus/servers";
import { emptyBusConnectionsTopic } from "../../lib/bus/connections-topic";
import type { BusdeckConfig, SystemCredentials } from "../config";
import type { Hub } from "../hub/hub";
import { openNats } from "../nats-connection";
import { createMonitorCollector, createMonitorConnectionsCollector } from "./monitor-source";
import { startBusSampler } from "./sampler";
import { collectSystemConnections, collectSystemSample } from "./system-source";
import { monitorSubscriptions, systemSubscriptions, unconfiguredSubscriptions, type SubscriptionsSource } from "./subscriptions-source";

export interface BusOptions {
  config: Pick<BusdeckConfig, "nats" | "bus">;
  hub: Hub;
  intervalMs: number;
  onSample?: (durationMs: number, ok: boolean) => void;
  log: (msg: string) => void;
}

/** The system-account connection: busdeck's connection settings with the system user's credentials. */
export function openSystemConnection(nats: BusdeckConfig["nats"], system: SystemCredentials): Promise<NatsConnection> {
  return openNats({
    servers: nats.servers,
    caFile: nats.caFile,
    creds: system.creds,
    user: system.user,
    password: system.password,
    name: `${nats.name ?? "busdeck"} (system)`,
    inboxPrefix: nats.inboxPrefix,
  });
}

export interface BusHandle {
  /** Stops sampling and closes the system connection. */
  stop: () => Promise<void>;
  /** The servers' subscription lists, read on request through the same source as the samples. */
  subscriptions: SubscriptionsSource;
}

export function startBus(opts: BusOptions): BusHandle {
  const { bus, nats } = opts.config;
  if (bus.system) {
    let stopSampler: (() => void) | null = null;
    let stopped = false;
    const ready = openSystemConnection(nats, bus.system).then((nc) => {
      if (!stopped)
        stopSampler = startBusSampler({
          ...opts,
          source: "system",
          collect: () => collectSystemSample(nc),
          collectConnections: () => collectSystemConnections(nc),
        });
      return nc;
    });
    ready.catch((err) => opts.log(`bus: system connection failed: ${err?.message ?? err}`));
    opts.hub.publishState("bus_servers", emptyBusServersSnapshot("system"));
    opts.hub.publishState("bus_connections", emptyBusConnectionsTopic("system"));
    const stop = async () => {
      stopped = true;
      stopSampler?.();
      await (await ready.catch(() => null))?.close();
    };
    return { stop, subscriptions: systemSubscriptions(ready) };
  }
  if (bus.monitorUrls.length > 0) {
    const monitor = { timeoutMs: Math.min(2_000, opts.intervalMs), names: new Map<string, string>() };
    const collect = createMonitorCollector(bus.monitorUrls, monitor);
    const collectConnections = createMonitorConnectionsCollector(bus.monitorUrls, monitor);
    const stop = startBusSampler({ ...opts, source: "monitor", collect, collectConnections });
    return { stop: async () => stop(), subscriptions: monitorSubscriptions(bus.monitorUrls, monitor) };
  }
  opts.hub.publishState("bus_servers", emptyBusServersSnapshot(null));
  opts.hub.publishState("bus_connections", emptyBusConnectionsTopic(null));
  return { stop: async () => {}, subscriptions: unconfiguredSubscriptions };
}
