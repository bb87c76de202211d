/** busdeck's own Prometheus figures: how the dashboard itself is doing, not the bus. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Hub } from "./hub/hub";

export interface BusdeckMetrics {
  registry: Registry;
  samplerDuration: Histogram<"sampler" | "outcome">;
  natsReconnects: Counter;
}

export function createMetrics(hub: Hub): BusdeckMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "busdeck_" }); // busdeck_process_cpu_user_seconds_total, busdeck_nodejs_heap_size_used_bytes, …
  const fromHub = (name: string, help: string, read: () => number, type: "gauge" | "counter") => {
    const Ctor = type === "gauge" ? Gauge : Counter;
    new Ctor({
      name,
      help,
      registers: [registry],
      collect(this: Gauge | Counter) {
        // Counters mirror the hub's monotonic totals: reset then set so scrapes read the true value.
        if (this instanceof Gauge) this.set(read());
        else {
          this.reset();
          this.inc(read());
        }
      },
    });
  };
  fromHub("busdeck_sse_clients", "Connected SSE clients", () => hub.stats.clients, "gauge");
  fromHub("busdeck_sse_events_sent_total", "SSE events written to clients", () => hub.stats.events_sent, "counter");
  fromHub("busdeck_sse_bytes_sent_total", "SSE bytes written to clients", () => hub.stats.bytes_sent, "counter");
  fromHub(
    "busdeck_sse_states_coalesced_total",
    "State versions replaced before a client saw them",
    () => hub.stats.states_coalesced,
    "counter",
  );
  fromHub(
    "busdeck_sse_state_patches_total",
    "Keyed state updates sent as a patch of changed items",
    () => hub.stats.state_patches,
    "counter",
  );
  fromHub("busdeck_sse_feed_resets_total", "Feed resyncs sent to clients that fell too far behind", () => hub.stats.feed_resets, "counter");
  fromHub(
    "busdeck_sse_clients_dropped_total",
    "Clients dropped because their transport stayed backed up",
    () => hub.stats.clients_dropped,
    "counter",
  );
  fromHub(
    "busdeck_sse_flushes_skipped_total",
    "Flushes skipped for a backed-up client",
    () => hub.stats.flushes_skipped_backpressure,
    "counter",
  );
  return {
    registry,
    samplerDuration: new Histogram({
      name: "busdeck_sampler_duration_seconds",
      help: "Duration of one sampler tick",
      labelNames: ["sampler", "outcome"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers: [registry],
    }),
    natsReconnects: new Counter({ name: "busdeck_nats_reconnects_total", help: "NATS reconnects", registers: [registry] }),
  };
}
