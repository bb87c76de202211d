/** busdeck's own Prometheus figures: how the dashboard itself is doing, not the bus. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Hub } from "./hub/hub";
import { isOwnStream } from "../lib/own-resources";

export interface BusdeckMetrics {
  registry: Registry;
  samplerDuration: Histogram<"sampler" | "outcome">;
  natsReconnects: Counter;
}

/**
 * The loss forecast per consumer (lib/consumers/loss-forecast.ts), from the hub's consumers snapshot: seconds to an
 * eviction or a first refused publish, counted from now; messages already evicted. A consumer without a forecast
 * (nothing at risk, or not known: no rate, no limits, no sample yet) has no sample, never a 0. busdeck's own
 * streams are left out, as their findings are.
 */
function lossForecastGauges(hub: Hub, registry: Registry, now: () => number): void {
  const forecasts = () => {
    const snap = hub.getState("consumers");
    const own = hub.getState("streams")?.own_streams ?? [];
    return (snap?.consumers ?? []).flatMap((c) =>
      c.insight?.loss && !isOwnStream(c.stream, own) ? [{ c, loss: c.insight.loss, sampledAt: Date.parse(c.sampled_at) }] : [],
    );
  };
  new Gauge({
    name: "busdeck_consumer_loss_eta_seconds",
    help: "Seconds until the consumer's oldest unprocessed message is evicted (kind=evicts_in) or its discard-new stream rejects publishes (kind=rejects_in), at the current ingest rate",
    labelNames: ["stream", "consumer", "kind", "limit"],
    registers: [registry],
    collect(this: Gauge<"stream" | "consumer" | "kind" | "limit">) {
      this.reset();
      const at = now();
      for (const { c, loss, sampledAt } of forecasts()) {
        if (loss.ms === null || loss.kind === "already_evicted") continue;
        const labels = { stream: c.stream, consumer: c.name, kind: loss.kind, limit: loss.limit ?? "" };
        this.set(labels, Math.max(0, sampledAt + loss.ms - at) / 1000);
      }
    },
  });
  new Gauge({
    name: "busdeck_consumer_evicted_unprocessed_messages",
    help: "Messages evicted by the stream's limits before the consumer processed them (bound=at_most for a filtered consumer)",
    labelNames: ["stream", "consumer", "bound"],
    registers: [registry],
    collect(this: Gauge<"stream" | "consumer" | "bound">) {
      this.reset();
      for (const { c, loss } of forecasts()) {
        if (loss.kind !== "already_evicted" || loss.evicted === null) continue;
        this.set({ stream: c.stream, consumer: c.name, bound: loss.exact ? "exact" : "at_most" }, loss.evicted);
      }
    },
  });
}

export function createMetrics(hub: Hub, now: () => number = Date.now): BusdeckMetrics {
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
  lossForecastGauges(hub, registry, now);
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
