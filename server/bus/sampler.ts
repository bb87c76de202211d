/**
 * Samples the bus's servers once per interval from one source (the system account or the monitoring URLs),
 * folds each sample into the `bus_servers` snapshot (lib/bus/servers.ts) and publishes it on the hub; with a
 * connections collector, the same tick folds `bus_connections` (lib/bus/connections.ts).
 */
import { evaluateBusHealth } from "../../lib/bus/health";
import { emptyBusServersSnapshot, foldBusSample, type BusSource, type ObservedServer } from "../../lib/bus/servers";
import { emptyConnectionsFold, foldConnectionsSample, type ObservedConnz } from "../../lib/bus/connections";
import { emptyBusConnectionsTopic, toConnectionsTopic } from "../../lib/bus/connections-topic";
import { describeError } from "../../lib/errors";
import { everyInterval } from "../concurrency";
import type { Hub } from "../hub/hub";

export type BusCollector = () => Promise<{ servers: ObservedServer[]; error?: string }>;
export type ConnectionsCollector = () => Promise<{ servers: ObservedConnz[]; error?: string }>;

export interface BusSamplerOptions {
  hub: Hub;
  source: BusSource;
  collect: BusCollector;
  /** The connections (CONNZ) of the same servers; none: no `bus_connections` topic. */
  collectConnections?: ConnectionsCollector;
  intervalMs: number;
  now?: () => number;
  onSample?: (durationMs: number, ok: boolean) => void;
  log?: (msg: string) => void;
}

/** One sample: collect, fold into the hub's snapshot, publish. A failed collection is a sample every server missed. */
export function createBusSampleTick(opts: BusSamplerOptions): () => Promise<void> {
  const now = opts.now ?? Date.now;
  return async () => {
    const started = Date.now();
    const at = now();
    let observed: Awaited<ReturnType<BusCollector>>;
    try {
      observed = await opts.collect();
    } catch (err) {
      observed = { servers: [], error: describeError(err) };
    }
    const prev = opts.hub.getState("bus_servers") ?? emptyBusServersSnapshot(opts.source);
    opts.hub.publishState("bus_servers", foldBusSample(prev, { at, source: opts.source, ...observed }, evaluateBusHealth));
    opts.onSample?.(Date.now() - started, !observed.error);
  };
}

/** One connections sample: collect, fold (the slow-consumer tally stays in this closure), publish. */
export function createConnectionsSampleTick(
  opts: Pick<BusSamplerOptions, "hub" | "source" | "now"> & { collectConnections: ConnectionsCollector },
): () => Promise<void> {
  const now = opts.now ?? Date.now;
  let fold = emptyConnectionsFold(opts.source);
  return async () => {
    const at = now();
    let observed: Awaited<ReturnType<ConnectionsCollector>>;
    try {
      observed = await opts.collectConnections();
    } catch (err) {
      observed = { servers: [], error: describeError(err) };
    }
    fold = foldConnectionsSample(fold, { at, source: opts.source, ...observed });
    opts.hub.publishState("bus_connections", toConnectionsTopic(fold.snapshot));
  };
}

export function startBusSampler(opts: BusSamplerOptions): () => void {
  opts.hub.publishState("bus_servers", emptyBusServersSnapshot(opts.source));
  const servers = createBusSampleTick(opts);
  const collectConnections = opts.collectConnections;
  const connections = collectConnections ? createConnectionsSampleTick({ ...opts, collectConnections }) : null;
  if (connections) opts.hub.publishState("bus_connections", emptyBusConnectionsTopic(opts.source));
  const tick = async () => void (await Promise.all([servers(), connections?.()]));
  return everyInterval(opts.intervalMs, tick, (err) => opts.log?.(`bus sampler: ${describeError(err)}`));
}
