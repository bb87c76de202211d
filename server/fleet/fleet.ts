/**
 * One sampler, many replicas (docs/architecture.md#sampler-election). Every busdeck process runs the election; the
 * winner samples JetStream on its interval, shows each sample in its own hub and broadcasts it; the others never
 * call the JetStream list APIs and feed the leader's samples into their hubs and consumer trackers (which keeps
 * them warm for a takeover). The subject tap runs on the winner alone, too: started on election, stopped when
 * deposed, its `bus_subjects` snapshots relayed to the others. A single process simply always wins.
 */
import { withReplicas, type ReplicaSetting } from "../replicas";
import "server-only";
import type { NatsConnection } from "@nats-io/nats-core";
import { Kvm } from "@nats-io/kv";
import { Counter, Gauge, type Registry } from "prom-client";
import { SampleAssembler, SAMPLE_WIRE_VERSION, TapRelayOrder, type AssembledSample, type SampleOrigin } from "../../lib/wire/fleet";
import { leaseTimings } from "../../lib/failover/lease";
import type { ConsumersSnapshot } from "../../lib/consumers/types";
import type { StreamsSnapshot } from "../../lib/streams/types";
import type { BusdeckConfig } from "../config";
import { everyInterval } from "../concurrency";
import type { ConsumerTracker } from "../consumers/tracker";
import type { Hub } from "../hub/hub";
import { describeError } from "../../lib/errors";
import { markSamplesDegraded } from "../samplers/jetstream-sampler";
import { startElection, type Election, type ElectionState, type LockKv } from "./election";
import { publishSample, publishTap, sayHello, subscribeSamples } from "./fan-out";

export const LOCK_HISTORY = 10;

export interface FleetOptions {
  nc: NatsConnection;
  hub: Hub;
  config: BusdeckConfig["fleet"] & { replicas: ReplicaSetting };
  intervalMs: number;
  /** A fresh sampler tick per tenure (it seeds its rates from what the hub shows). */
  createTick: () => () => Promise<void>;
  tracker?: ConsumerTracker;
  /** Every sample this replica shows, once, after its hub has it; `leading` when it took the sample itself. */
  onSample?: (sample: AssembledSample, leading: boolean) => void;
  log?: (msg: string) => void;
  retryMs?: number;
  /**
   * The subject tap, run only while this replica leads (null: no tap configured). It publishes `bus_subjects` to
   * this replica's hub; each such snapshot is relayed to the other replicas, which show it instead of tapping.
   */
  tap?: { start: () => { stop(): void }; onStopped?: () => void } | null;
}

export interface FleetStatus extends ElectionState {
  holder_id: string;
  samples_taken: number;
  samples_received: number;
  samples_rejected: number;
  /** Whether this replica runs the subject tap now. */
  tapping: boolean;
  tap_received: number;
  tap_rejected: number;
}

export interface Fleet {
  status(): FleetStatus;
  stop(): Promise<void>;
}

export function startFleet(opts: FleetOptions): Fleet {
  const { nc, hub, config } = opts;
  const timings = leaseTimings(config.leaseMs);
  const assembler = new SampleAssembler();
  const counts = { samples_taken: 0, samples_received: 0, samples_rejected: 0, tap_received: 0, tap_rejected: 0 };
  const tapOrder = new TapRelayOrder();
  let tap: { stop(): void } | null = null;
  let tapSeq = 0;
  let election: Election | null = null;
  let stopSampling: (() => void) | null = null;
  let seq = 0;
  let stopped = false;
  let lastAdopted: string | null = null;
  /** When another replica last said hello: alone, the leader skips encoding and publishing each sample. */
  let followerHeardAt = -Infinity;
  const followersListening = () => Date.now() - followerHeardAt < 2 * config.leaseMs;

  const sampleAsLeader = (tick: () => Promise<void>) => async () => {
    await tick();
    const state = election?.state();
    if (!state || state.role !== "leader") return; // deposed while sampling: the new leader speaks now
    const origin: SampleOrigin = { v: SAMPLE_WIRE_VERSION, leader: config.holderId, lock_rev: state.revision, seq: ++seq };
    const streams = hub.getState("streams") as StreamsSnapshot;
    const consumers = hub.getState("consumers") as ConsumersSnapshot;
    assembler.recordLocal(origin);
    counts.samples_taken++;
    if (followersListening()) publishSample(nc, config.prefix, origin, streams, consumers);
    opts.onSample?.({ origin, streams, consumers }, true);
  };

  const startTap = () => {
    if (!opts.tap || tap) return;
    try {
      tap = opts.tap.start();
    } catch (err) {
      opts.log?.(`subject tap: start failed: ${describeError(err)}`);
    }
  };
  const stopTap = () => {
    if (!tap) return;
    tap.stop();
    tap = null;
    opts.tap?.onStopped?.();
  };
  // The tap publishes into this hub synchronously; while it runs here, each snapshot goes to the listening peers.
  const unlistenTap = hub.onChange((topic) => {
    if (topic !== "bus_subjects" || !tap || !followersListening()) return;
    const state = election?.state();
    if (state?.role !== "leader") return;
    const origin: SampleOrigin = { v: SAMPLE_WIRE_VERSION, leader: config.holderId, lock_rev: state.revision, seq: ++tapSeq };
    publishTap(nc, config.prefix, origin, hub.getState("bus_subjects")!);
  });

  const applyRemote = (sample: AssembledSample) => {
    counts.samples_received++;
    const at = sample.consumers.sampled_at;
    // A failed tick repeats the last sampled_at with a degraded status: show it, but it is no new point.
    if (at && at !== lastAdopted) {
      lastAdopted = at;
      opts.tracker?.adopt(sample.streams.streams, sample.consumers.consumers, Date.parse(at));
    }
    hub.publishState("streams", sample.streams);
    hub.publishState("consumers", sample.consumers);
    opts.onSample?.(sample, false);
  };

  const unsubscribe = subscribeSamples({
    nc,
    prefix: config.prefix,
    selfId: config.holderId,
    assembler,
    onSample: applyRemote,
    onHello: () => (followerHeardAt = Date.now()),
    onTap: (relay) => {
      if (tap) return; // tapping here: a relay from a leader this replica has not yet seen depose it
      const accepted = tapOrder.accept(relay);
      if (!accepted.ok) {
        counts.tap_rejected++;
        return opts.log?.(`fleet: tap refused: ${accepted.reason}`);
      }
      counts.tap_received++;
      hub.publishState("bus_subjects", accepted.snapshot);
    },
    onReject: (reason) => {
      counts.samples_rejected++;
      opts.log?.(`fleet: sample refused: ${reason}`);
    },
  });

  const onError = (err: unknown) => opts.log?.(`jetstream sampler: ${describeError(err)}`);
  const startElectionWhenBucketOpens = async () => {
    while (!stopped) {
      try {
        const kv = await withReplicas(config.replicas, (replicas) =>
          new Kvm(nc).create(config.bucket, { history: LOCK_HISTORY, replicas }),
        );
        if (stopped) return;
        election = startElection({
          kv: kv as unknown as LockKv,
          key: config.key,
          holderId: config.holderId,
          timings,
          log: opts.log,
          onElected: () => {
            stopSampling?.();
            stopSampling = everyInterval(opts.intervalMs, sampleAsLeader(opts.createTick()), onError);
            startTap();
          },
          onDeposed: () => {
            stopSampling?.();
            stopSampling = null;
            stopTap();
          },
        });
        return;
      } catch (err) {
        const message = `sampler election: cannot open lock bucket ${config.bucket}: ${describeError(err)}`;
        opts.log?.(message);
        markSamplesDegraded(hub, message); // without a lock nobody samples: say why, not stale data as current
        await new Promise((r) => setTimeout(r, opts.retryMs ?? 3_000).unref?.());
      }
    }
  };
  void startElectionWhenBucketOpens();
  // Every replica says hello (a leader too: after a takeover the new leader's peers must hear it at once).
  sayHello(nc, config.prefix, config.holderId);
  const hello = setInterval(() => sayHello(nc, config.prefix, config.holderId), timings.renewMs);
  hello.unref?.();

  return {
    status: () => ({
      ...(election?.state() ?? { role: "follower", holder: null, revision: 0 }),
      holder_id: config.holderId,
      ...counts,
      tapping: tap !== null,
    }),
    async stop() {
      stopped = true;
      clearInterval(hello);
      unsubscribe();
      unlistenTap();
      stopSampling?.();
      await election?.stop();
      stopTap();
    },
  };
}

/** /metrics: which replica samples (alert when the sum over replicas is not 1), and what each took or received. */
export function registerFleetMetrics(registry: Registry, fleet: () => Fleet | null): void {
  new Gauge({
    name: "busdeck_fleet_sampler",
    help: "1 while this replica holds the sampler lock and samples JetStream, else 0",
    registers: [registry],
    collect(this: Gauge) {
      this.set(fleet()?.status().role === "leader" ? 1 : 0);
    },
  });
  new Gauge({
    name: "busdeck_fleet_subject_tap",
    help: "1 while this replica runs the subject tap (the elected sampler, with BUSDECK_SUBJECT_TAP on), else 0",
    registers: [registry],
    collect(this: Gauge) {
      this.set(fleet()?.status().tapping ? 1 : 0);
    },
  });
  new Counter({
    name: "busdeck_fleet_samples_total",
    help: "Samples this replica took itself (taken), applied from the sampler (received) or refused (incomplete, stale leader)",
    labelNames: ["source"],
    registers: [registry],
    collect(this: Counter<"source">) {
      const s = fleet()?.status();
      this.reset();
      if (!s) return;
      this.inc({ source: "taken" }, s.samples_taken);
      this.inc({ source: "received" }, s.samples_received);
      this.inc({ source: "refused" }, s.samples_rejected);
    },
  });
}
