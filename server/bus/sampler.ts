/**
 * Samples the bus's servers once per interval from one source (the system account or the monitoring URLs),
 * folds each sample into the `bus_servers` snapshot (lib/bus/servers.ts) and publishes it on the hub.
 */
import { evaluateBusHealth } from "../../lib/bus/health";
import { emptyBusServersSnapshot, foldBusSample, type BusSource, type ObservedServer } from "../../lib/bus/servers";
import { describeError } from "../../lib/errors";
import { everyInterval } from "../concurrency";
import type { Hub } from "../hub/hub";

export type BusCollector = () => Promise<{ servers: ObservedServer[]; error?: string }>;

export interface BusSamplerOptions {
  hub: Hub;
  source: BusSource;
  collect: BusCollector;
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

export function startBusSampler(opts: BusSamplerOptions): () => void {
  opts.hub.publishState("bus_servers", emptyBusServersSnapshot(opts.source));
  return everyInterval(opts.intervalMs, createBusSampleTick(opts), (err) => opts.log?.(`bus sampler: ${describeError(err)}`));
}
