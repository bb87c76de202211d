/**
 * Wires the consumer tracker into the runtime: its configuration (environment, validated), exact message-time
 * lookups through the JetStream API, the dead-letter advisories, and per-consumer series on /metrics.
 */
import "server-only";
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamManager } from "@nats-io/jetstream";
import { Gauge, type Registry } from "prom-client";
import { z } from "zod";
import {
  DEFAULT_HEALTH_CONFIG,
  HEALTH_STATUSES,
  STATUS_SEVERITY,
  type HealthConfig,
  type HealthThresholds,
} from "../../lib/consumers/health";
import { ConfigError } from "../config";
import { ADVISORY_SUBJECTS, parseAdvisory } from "../watchers/advisory-subscriber";
import { ConsumerTracker, type FetchPublishTime } from "./tracker";
import type { LossKind } from "../../lib/consumers/loss-forecast";
import type { ConsumerSummary } from "../../lib/consumers/types";

const positiveInt = z.coerce.number().int().positive();
/** "stream/consumer=1000,other/c=50" → per-consumer lagThreshold (KEDA's per-ScaledObject target). */
const thresholdList = z
  .string()
  .regex(/^([^\s/=,]+\/[^\s/=,]+=\d+)(,[^\s/=,]+\/[^\s/=,]+=\d+)*$/, "expected stream/consumer=N[,stream/consumer=N…]")
  .transform((s) =>
    Object.fromEntries(
      s
        .split(",")
        .map((kv) => kv.split("="))
        .map(([k, v]) => [k!, { lagThreshold: Number(v) }]),
    ),
  );

const InsightEnvSchema = z.object({
  BUSDECK_CONSUMER_WINDOW: positiveInt.min(2).max(600).optional(),
  BUSDECK_CONSUMER_STOP_AFTER_MS: positiveInt.optional(),
  BUSDECK_CONSUMER_LAG_THRESHOLD: positiveInt.optional(),
  BUSDECK_CONSUMER_LAG_THRESHOLDS: thresholdList.optional(),
  BUSDECK_CONSUMER_METRICS_MAX_SERIES: z.coerce.number().int().min(0).default(1_000),
  BUSDECK_CONSUMER_HISTORY_MAX: z.coerce.number().int().min(0).default(1_000),
});

export interface InsightConfig {
  health: HealthConfig;
  metricsMaxSeries: number;
  historyMaxConsumers: number;
}

export function parseInsightConfig(env: Record<string, string | undefined>): InsightConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k.startsWith("BUSDECK_CONSUMER_") && v !== undefined && v !== ""),
  );
  const parsed = InsightEnvSchema.safeParse(present);
  if (!parsed.success)
    throw new ConfigError(
      `invalid busdeck configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`,
    );
  const e = parsed.data;
  const base: Partial<HealthThresholds> = {};
  if (e.BUSDECK_CONSUMER_WINDOW) base.windowSize = e.BUSDECK_CONSUMER_WINDOW;
  if (e.BUSDECK_CONSUMER_WINDOW) base.minSamples = Math.min(DEFAULT_HEALTH_CONFIG.minSamples, e.BUSDECK_CONSUMER_WINDOW);
  if (e.BUSDECK_CONSUMER_STOP_AFTER_MS) base.stopAfterMs = e.BUSDECK_CONSUMER_STOP_AFTER_MS;
  if (e.BUSDECK_CONSUMER_LAG_THRESHOLD) base.lagThreshold = e.BUSDECK_CONSUMER_LAG_THRESHOLD;
  return {
    health: { ...DEFAULT_HEALTH_CONFIG, ...base, perConsumer: e.BUSDECK_CONSUMER_LAG_THRESHOLDS ?? {} },
    metricsMaxSeries: e.BUSDECK_CONSUMER_METRICS_MAX_SERIES,
    historyMaxConsumers: e.BUSDECK_CONSUMER_HISTORY_MAX,
  };
}

/** The stored message's time: exact sequence, or the first message matching the consumer's filter at or after it. */
export function jetStreamPublishTime(jsm: () => Promise<JetStreamManager>): FetchPublishTime {
  return async (stream, seq, filter) => {
    const m = await (await jsm()).streams.getMessage(stream, (filter ? { seq, next_by_subj: filter } : { seq }) as { seq: number });
    return m ? { seq: m.seq, ts: m.time.getTime() } : null;
  };
}

export interface ConsumerInsights {
  tracker: ConsumerTracker;
  /** Subscribes to dead-letter advisories once connected; returns the unsubscribe. */
  watchAdvisories(nc: NatsConnection): () => void;
}

export function createConsumerInsights(opts: {
  env: Record<string, string | undefined>;
  intervalMs: number;
  jsm: () => Promise<JetStreamManager>;
  registry: Registry;
}): ConsumerInsights {
  const config = parseInsightConfig(opts.env);
  const tracker = new ConsumerTracker({
    intervalMs: opts.intervalMs,
    health: config.health,
    fetchPublishTime: jetStreamPublishTime(opts.jsm),
    historyMaxConsumers: config.historyMaxConsumers,
  });
  registerConsumerMetrics(opts.registry, tracker, config.metricsMaxSeries);
  return {
    tracker,
    watchAdvisories(nc) {
      const subjects = ADVISORY_SUBJECTS.filter((s) => /CONSUMER\.(MAX_DELIVERIES|MSG_NAKED|MSG_TERMINATED)\./.test(s));
      const subs = subjects.map((subject) =>
        nc.subscribe(subject, {
          callback: (err, msg) => {
            if (!err) tracker.recordAdvisory(parseAdvisory(msg.subject, msg.data, new Date().toISOString()));
          },
        }),
      );
      return () => subs.forEach((s) => s.unsubscribe());
    },
  };
}

/**
 * Per-consumer gauges, read from the tracker's latest tick at scrape time; consumers the tick could not read
 * (unknown) have no sample, so a scaler reading them is never fed a false 0. Capped: the worst consumers first,
 * so a 10,000-consumer bus doesn't flood Prometheus while the ones that matter are always exported.
 */
export function registerConsumerMetrics(
  registry: Registry,
  tracker: Pick<ConsumerTracker, "latest">,
  maxSeries: number,
  now: () => number = Date.now,
): void {
  const labelNames = ["stream", "consumer"] as const;
  const worstFirst = () =>
    [...tracker.latest]
      // an unknown consumer's reading is its last good one, not a fact of now: no sample rather than a stale or 0 one
      .filter((c) => c.insight && !c.unknown_since)
      .sort(
        (a, b) =>
          STATUS_SEVERITY[b.insight!.health.status] - STATUS_SEVERITY[a.insight!.health.status] ||
          (b.insight!.lag_seconds ?? 0) - (a.insight!.lag_seconds ?? 0),
      )
      .slice(0, maxSeries);
  const gauge = (name: string, help: string, extra: string[], fill: (g: Gauge, list: ReturnType<typeof worstFirst>) => void) =>
    new Gauge({
      name,
      help,
      labelNames: [...labelNames, ...extra],
      registers: [registry],
      collect(this: Gauge) {
        this.reset();
        fill(this, worstFirst());
      },
    });
  gauge("busdeck_consumer_lag_messages", "Unprocessed messages (num_pending + num_ack_pending)", [], (g, list) =>
    list.forEach((c) => g.set({ stream: c.stream, consumer: c.name }, c.insight!.lag_msgs)),
  );
  gauge("busdeck_consumer_lag_seconds", "Age of the oldest unprocessed message in seconds (0 when caught up)", [], (g, list) =>
    list.forEach((c) => c.insight!.lag_seconds !== null && g.set({ stream: c.stream, consumer: c.name }, c.insight!.lag_seconds)),
  );
  gauge(
    "busdeck_consumer_health_status",
    "1 for the consumer's current health status (OK, WARN, STALL, STOP, REWIND, ERR), 0 for the others",
    ["status"],
    (g, list) =>
      list.forEach((c) =>
        HEALTH_STATUSES.forEach((s) => g.set({ stream: c.stream, consumer: c.name, status: s }, c.insight!.health.status === s ? 1 : 0)),
      ),
  );
  registerLossForecastMetrics(gauge, () => tracker.latest, maxSeries, now);
  gauge("busdeck_consumer_drain_seconds", "Time to drain the lag at current rates; +Inf when ingest outpaces consume", [], (g, list) =>
    list.forEach((c) => {
      const d = c.insight!.drain;
      if (d.state === "never") g.set({ stream: c.stream, consumer: c.name }, Infinity);
      else if (d.seconds !== null) g.set({ stream: c.stream, consumer: c.name }, d.seconds);
    }),
  );
}

/**
 * The loss forecast (lib/consumers/loss-forecast.ts): seconds from the scrape to an eviction or a first refused
 * publish, and messages already evicted; capped like the others, soonest and largest first. A consumer without a
 * forecast (nothing at risk, or unknown: no limits, no rate, no sample yet) has no sample, never a 0.
 */
function registerLossForecastMetrics(
  gauge: (name: string, help: string, extra: string[], fill: (g: Gauge) => void) => void,
  latest: () => readonly ConsumerSummary[],
  maxSeries: number,
  now: () => number,
): void {
  const withLoss = (kinds: readonly LossKind[]) =>
    latest()
      .flatMap((c) => (c.insight?.loss && !c.unknown_since && kinds.includes(c.insight.loss.kind) ? [{ c, loss: c.insight.loss }] : []))
      .sort((a, b) => (a.loss.ms ?? 0) - (b.loss.ms ?? 0) || (b.loss.evicted ?? 0) - (a.loss.evicted ?? 0))
      .slice(0, maxSeries);
  gauge(
    "busdeck_consumer_loss_eta_seconds",
    "Seconds until the consumer's oldest unprocessed message is evicted (kind=evicts_in) or its discard-new stream rejects publishes (kind=rejects_in), at the current ingest rate",
    ["kind", "limit"],
    (g) => {
      const at = now();
      for (const { c, loss } of withLoss(["evicts_in", "rejects_in"])) {
        const seconds = Math.max(0, Date.parse(c.sampled_at) + (loss.ms ?? 0) - at) / 1000;
        g.set({ stream: c.stream, consumer: c.name, kind: loss.kind, limit: loss.limit ?? "" }, seconds);
      }
    },
  );
  gauge(
    "busdeck_consumer_evicted_unprocessed_messages",
    "Messages the stream's limits evicted before the consumer processed them (bound=at_most for a filtered consumer)",
    ["bound"],
    (g) => {
      for (const { c, loss } of withLoss(["already_evicted"]))
        g.set({ stream: c.stream, consumer: c.name, bound: loss.exact ? "exact" : "at_most" }, loss.evicted ?? 0);
    },
  );
}
