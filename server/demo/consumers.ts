/**
 * The demo's four durable pull consumers and the behaviour that makes each one interesting on the dashboard:
 * one healthy, one steadily falling behind, one stalling and recovering, one redelivering into max-deliver.
 */
import { nanos } from "@nats-io/nats-core";
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type Consumer,
  type ConsumerConfig,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from "@nats-io/jetstream";
import type { Lifecycle } from "./lifecycle";
import { describeError } from "../../lib/errors";
import { hashUnit, type Rng } from "./random";
import { LLM_STREAM, MEMORY_STREAM, ROUTING_STREAM } from "./streams";
import type { DemoTimings } from "./timings";

export interface ConsumerSpec {
  stream: string;
  name: string;
  filter: string;
  maxDeliver: number;
  ackWaitMs: number;
  /** Seed: analytics "Batch: 1000 messages" — the largest pull request the consumer accepts. */
  maxBatch?: number;
  description: string;
}

export const DEMO_CONSUMERS: readonly ConsumerSpec[] = [
  {
    stream: ROUTING_STREAM,
    name: "api-consumer",
    filter: "routing.>",
    maxDeliver: 3,
    ackWaitMs: 30_000,
    description: "API server consumes routing decisions for analytics",
  },
  {
    stream: ROUTING_STREAM,
    name: "analytics-consumer",
    filter: "routing.>",
    maxDeliver: 5,
    ackWaitMs: 60_000,
    maxBatch: 1000,
    description: "Analytics service consumes all routing decisions for reporting",
  },
  {
    stream: MEMORY_STREAM,
    name: "consolidation-consumer",
    filter: "memory.consolidated",
    maxDeliver: 3,
    ackWaitMs: 120_000,
    description: "Temporal worker consumes memory consolidation events",
  },
  {
    stream: LLM_STREAM,
    name: "metrics-consumer",
    filter: "llm.>",
    maxDeliver: 3,
    ackWaitMs: 30_000,
    description: "Metrics collector consumes LLM request events",
  },
];

export async function ensureConsumer(jsm: JetStreamManager, spec: ConsumerSpec): Promise<void> {
  const want: Partial<ConsumerConfig> = {
    durable_name: spec.name,
    description: spec.description,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(spec.ackWaitMs),
    max_deliver: spec.maxDeliver,
    filter_subject: spec.filter,
    deliver_policy: DeliverPolicy.All,
    ...(spec.maxBatch ? { max_batch: spec.maxBatch } : {}),
  };
  let existing: ConsumerConfig | undefined;
  try {
    existing = (await jsm.consumers.info(spec.stream, spec.name)).config;
  } catch (err) {
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound)) throw err;
  }
  if (!existing) {
    await jsm.consumers.add(spec.stream, want);
    return;
  }
  const drift =
    existing.ack_wait !== want.ack_wait ||
    existing.max_deliver !== want.max_deliver ||
    existing.filter_subject !== want.filter_subject ||
    existing.description !== want.description ||
    (spec.maxBatch !== undefined && existing.max_batch !== spec.maxBatch);
  if (drift) {
    const { durable_name: _d, deliver_policy: _p, ack_policy: _a, ...updatable } = want;
    await jsm.consumers.update(spec.stream, spec.name, updatable);
  }
}

export interface ConsumerContext {
  js: JetStreamClient;
  jsm: JetStreamManager;
  lc: Lifecycle;
  rng: Rng;
  /** The demo's seed: message classes hash it with the stream sequence, so a seed fixes which messages are poison. */
  seed: number;
  timings: DemoTimings;
  /** Expected routing.* ingest in msgs/s, which analytics-consumer deliberately under-runs. */
  routingIngestPerS: number;
}

/** Fraction of ingest analytics-consumer processes, so its num_pending grows steadily. */
export const ANALYTICS_THROUGHPUT = 0.6;
/** metrics-consumer: per-message classes decided by a hash of the stream sequence, so redeliveries behave alike. */
export const METRICS_POISON_P = 0.015;
export const METRICS_HANG_P = 0.01;
const METRICS_NAK_P = 0.08;
const METRICS_IGNORE_P = 0.03;

type Step = (batch: JsMsg[]) => Promise<void> | void;

/**
 * One pull iteration: fetch up to `max` and hand the batch over. Resolves once the pull request is done
 * (full or expired), which paces every loop without extra timers.
 */
async function pullOnce(ctx: ConsumerContext, spec: ConsumerSpec, max: number, step: Step): Promise<void> {
  const consumer = await handle(ctx, spec);
  if (!consumer) return;
  const iter = await consumer.fetch({ max_messages: max, expires: ctx.timings.fetchExpiresMs });
  const unhook = ctx.lc.onStop(() => iter.stop());
  // stop() may have run while the pull request was being set up; don't wait out its expiry.
  if (ctx.lc.stopped) iter.stop();
  const batch: JsMsg[] = [];
  try {
    for await (const m of iter) batch.push(m);
  } catch (err) {
    // With a 1 s expiry the client's two-missed-heartbeats check (2 × 500 ms) races the server's own expiry
    // notice; that is just the end of an idle pull, not a failure. Messages already received stay valid.
    if (!isHeartbeatsMissed(err)) throw err;
  } finally {
    unhook();
  }
  if (batch.length > 0 && !ctx.lc.stopped) await step(batch);
}

/**
 * consumers.get() is a CONSUMER.INFO API call; looking it up once per loop rather than per pull keeps the demo
 * from flooding the dashboard's API-advisory view with its own bookkeeping. Dropped on error to re-resolve.
 */
const handles = new WeakMap<ConsumerContext, Map<string, Consumer>>();

async function handle(ctx: ConsumerContext, spec: ConsumerSpec): Promise<Consumer | undefined> {
  let byName = handles.get(ctx);
  if (!byName) handles.set(ctx, (byName = new Map()));
  const key = `${spec.stream}/${spec.name}`;
  const cached = byName.get(key);
  if (cached) return cached;
  const fresh = await ctx.lc.unlessStopped(ctx.js.consumers.get(spec.stream, spec.name));
  if (fresh) byName.set(key, fresh);
  return fresh;
}

function forgetHandle(ctx: ConsumerContext, spec: ConsumerSpec): void {
  handles.get(ctx)?.delete(`${spec.stream}/${spec.name}`);
}

function isHeartbeatsMissed(err: unknown): boolean {
  return err instanceof Error && /heartbeats missed/i.test(err.message);
}

/** Runs `body` until stop; on failure re-ensures the consumer (someone may have deleted it in the UI) and retries. */
function loop(ctx: ConsumerContext, spec: ConsumerSpec, body: () => Promise<void>): void {
  ctx.lc.spawn(spec.name, async () => {
    while (!ctx.lc.stopped) {
      try {
        await body();
      } catch (err) {
        if (ctx.lc.stopped) return;
        forgetHandle(ctx, spec);
        ctx.lc.warn(`consumer:${spec.name}`, `${spec.name}: ${describeError(err)}; retrying`);
        ctx.lc.requestRepair();
        if (!(await ctx.lc.sleep(2_000))) return;
        await ensureConsumer(ctx.jsm, spec).catch(() => undefined);
      }
    }
  });
}

const ackAll: Step = (batch) => batch.forEach((m) => m.ack());

export function startConsumers(ctx: ConsumerContext, specs: readonly ConsumerSpec[] = DEMO_CONSUMERS): void {
  const by = (name: string) => specs.find((s) => s.name === name);
  const api = by("api-consumer");
  const analytics = by("analytics-consumer");
  const consolidation = by("consolidation-consumer");
  const metrics = by("metrics-consumer");
  if (api) loop(ctx, api, () => pullOnce(ctx, api, 100, ackAll));
  if (analytics) startAnalytics(ctx, analytics);
  if (consolidation) startConsolidation(ctx, consolidation);
  if (metrics) loop(ctx, metrics, () => pullOnce(ctx, metrics, 50, (b) => b.forEach((m) => handleMetric(ctx, m))));
}

/** A token bucket refilled at a fraction of ingest: it keeps working, just never fast enough. */
function startAnalytics(ctx: ConsumerContext, spec: ConsumerSpec): void {
  const perS = ctx.routingIngestPerS * ANALYTICS_THROUGHPUT;
  let tokens = 0;
  let last = Date.now();
  loop(ctx, spec, async () => {
    const now = Date.now();
    tokens = Math.min(tokens + ((now - last) / 1000) * perS, Math.max(1, perS * 2));
    last = now;
    const max = Math.floor(tokens);
    if (max < 1) {
      await ctx.lc.sleep(Math.ceil(((1 - tokens) / perS) * 1000));
      return;
    }
    await pullOnce(ctx, spec, Math.min(max, spec.maxBatch ?? 1000), (batch) => {
      tokens -= batch.length;
      ackAll(batch);
    });
  });
}

/** Alternates healthy runs with stalls (a Temporal worker blocked on a downstream lock), pending piling up meanwhile. */
function startConsolidation(ctx: ConsumerContext, spec: ConsumerSpec): void {
  let phaseEnds = Date.now() + ctx.timings.consolidationRunMs;
  loop(ctx, spec, async () => {
    if (Date.now() >= phaseEnds) {
      if (!(await ctx.lc.sleep(ctx.timings.consolidationStallMs))) return;
      phaseEnds = Date.now() + ctx.timings.consolidationRunMs;
    }
    await pullOnce(ctx, spec, 200, ackAll);
  });
}

/** Where in [0, 1) a stream sequence falls for this seed: stable across redeliveries of the same message. */
export function messageClass(seed: number, stream: string, seq: number): number {
  return hashUnit(`${stream}:${seq}`, seed);
}

export type MetricAction = "ack" | "nak" | "ignore";

/**
 * Decides what metrics-consumer does with one delivery. Poison messages (unparseable, or a schema the collector
 * rejects) are NAKed every time and hit max deliver within seconds; "hang" messages are never acked and reach it
 * after max_deliver × ack_wait; everything else mostly acks with occasional transient NAKs and lost acks.
 */
export function metricAction(input: { parsable: boolean; cls: number; roll: number }): MetricAction {
  if (!input.parsable || input.cls < METRICS_POISON_P) return "nak";
  if (input.cls < METRICS_POISON_P + METRICS_HANG_P) return "ignore";
  if (input.roll < METRICS_NAK_P) return "nak";
  if (input.roll < METRICS_NAK_P + METRICS_IGNORE_P) return "ignore";
  return "ack";
}

function handleMetric(ctx: ConsumerContext, m: JsMsg): void {
  let parsable = true;
  try {
    JSON.parse(new TextDecoder().decode(m.data));
  } catch {
    parsable = false;
  }
  const action = metricAction({ parsable, cls: messageClass(ctx.seed, m.info.stream, m.seq), roll: ctx.rng.float() });
  if (action === "ack") m.ack();
  else if (action === "nak") m.nak(ctx.timings.metricsNakDelayMs);
}
