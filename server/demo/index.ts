/**
 * Demo workload: a synthetic but realistic bus (seeds 001–003) that makes every dashboard view move.
 * Runs inside the dashboard (embedded mode) or standalone via scripts/demo-workload.ts. It owns nothing but its
 * own loops: stop() ends them all and leaves the connection open for its owner.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { DEMO_CONSUMERS, ensureConsumer, startConsumers, type ConsumerSpec } from "./consumers";
import { describeError } from "../../lib/errors";
import { Lifecycle } from "./lifecycle";
import { REQUESTS_PER_S, ROUTING_MSGS_PER_REQUEST, startMemoryTraffic, startRequestTraffic } from "./publishers";
import { Rng, randomSeed } from "./random";
import { startReflex } from "./reflex";
import { ErrorWaves, startSensoryTraffic } from "./sensory";
import { openLocksBucket, startSingletons } from "./singletons";
import { ensureStreams } from "./streams";
import { resolveTimings, type DemoTimings } from "./timings";
import { startSlowSubscriber, type SlowSubscriberOptions } from "./slow-subscriber";

export type { DemoTimings } from "./timings";
export { DEFAULT_DEMO_TIMINGS, FAST_DEMO_TIMINGS } from "./timings";
export { DEMO_STREAMS } from "./streams";
export { DEMO_CONSUMERS } from "./consumers";
export { LOCK_BUCKET, SINGLETON_KINDS } from "./singletons";

export interface DemoOptions {
  seed?: number;
  /** Traffic multiplier; 1 ≈ 13 msgs/s across all streams. */
  rate?: number;
  timings?: Partial<DemoTimings>;
  log?: (msg: string) => void;
  /** Stream and KV replicas; 1 for a single server, 3 for a 3-node cluster. */
  replicas?: number;
  /** A core subscriber that never reads, cut off by the server now and then (server/demo/slow-subscriber.ts). */
  slowSubscriber?: SlowSubscriberOptions;
}

export interface DemoHandle {
  stop(): Promise<void>;
}

export async function startDemo(nc: NatsConnection, opts: DemoOptions = {}): Promise<DemoHandle> {
  const log = opts.log ?? (() => {});
  const timings = resolveTimings(opts.timings);
  const rate = opts.rate ?? 1;
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`demo rate must be a positive number, got ${opts.rate}`);
  const replicas = opts.replicas ?? 1;
  const seed = (opts.seed ?? randomSeed()) >>> 0;
  const root = new Rng(seed);
  const lc = new Lifecycle(log);

  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const reconcile = async () => {
    const streams = new Set(await ensureStreams(jsm, replicas, lc));
    const consumers: ConsumerSpec[] = [];
    for (const spec of DEMO_CONSUMERS) {
      if (!streams.has(spec.stream) || lc.stopped) continue;
      try {
        await ensureConsumer(jsm, spec);
        consumers.push(spec);
      } catch (err) {
        log(`consumer ${spec.stream}/${spec.name}: could not create or update: ${describeError(err)}`);
      }
    }
    return { streams, consumers };
  };
  const { streams, consumers } = await reconcile();
  // A stream deleted from the UI or a server restarted on an empty store would otherwise starve the demo for good.
  lc.setRepair(async () => {
    try {
      // While the server is unreachable every create would fail too; one probe keeps the log to one line.
      await jsm.getAccountInfo();
    } catch (err) {
      lc.warn("repair", `JetStream unavailable, will retry: ${describeError(err)}`, 60_000);
      return;
    }
    await lc.unlessStopped(reconcile());
  });
  // The lock bucket is retried until it opens: on a cluster just started, JetStream answers "not enabled" or
  // "insufficient resources" until its meta leader is elected, and giving up then left the demo without
  // singletons (and the failover view without locks) for the whole run.
  lc.spawn("singletons", async () => {
    for (let waitMs = 500; !lc.stopped; waitMs = Math.min(waitMs * 2, 10_000)) {
      try {
        const kv = await openLocksBucket(nc, replicas);
        if (!lc.stopped) startSingletons(kv, lc, root.fork("singletons"), timings);
        return;
      } catch (err) {
        lc.warn("locks", `kv bucket locks: could not open: ${describeError(err)}; retrying`, 60_000);
        if (!(await lc.sleep(waitMs))) return;
      }
    }
  });

  log(`demo starting: seed=${seed} rate=${rate} streams=${streams.size} consumers=${consumers.length}`);
  startRequestTraffic(js, lc, root.fork("requests"), rate);
  startMemoryTraffic(js, lc, root.fork("memory"), rate);
  startConsumers(
    { js, jsm, lc, rng: root.fork("consumers"), seed, timings, routingIngestPerS: REQUESTS_PER_S * ROUTING_MSGS_PER_REQUEST * rate },
    consumers,
  );
  const waves = new ErrorWaves(root.fork("waves"));
  waves.start(lc, timings);
  startSensoryTraffic(js, lc, root.fork("sensory"), rate, waves);
  startReflex({ nc, lc, rng: root.fork("reflex"), waves, malformedOutcomeEveryMs: timings.malformedOutcomeEveryMs });
  if (opts.slowSubscriber) startSlowSubscriber(nc.getServer(), lc, opts.slowSubscriber);

  return {
    async stop() {
      await lc.stop();
      log("demo stopped");
    },
  };
}
