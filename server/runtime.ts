/**
 * The server's one runtime: config, hub, NATS connection, producers and the services routes read. Created once
 * per process and shared through server/process-shared.ts, because instrumentation.ts and route handlers get
 * different module instances (STACK-NOTES).
 */
import "server-only";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { initialConnectionState, type ConnectionState } from "../lib/wire/connection";
import { emptyConsumersSnapshot } from "../lib/consumers/types";
import { emptyOutcomeStats } from "../lib/outcomes/outcome";
import { emptyStreamsSnapshot } from "../lib/streams/types";
import { emptyFindingsSnapshot } from "../lib/findings/finding";
import type { FindingEvent } from "../lib/findings/events";
import { emptyAlertsState } from "../lib/alerts/deliveries";
import { createAlertService, type AlertService } from "./alerts/service";
import { parseConfig, type BusdeckConfig } from "./config";
import { createConsumerInsights } from "./consumers/insights";
import { deriveConsumerRows } from "./consumers/rows";
import { Hub } from "./hub/hub";
import { ScanGuard } from "./scan-guard";
import { SseAdmission } from "./sse-admission";
import { createMetrics, type BusdeckMetrics } from "./metrics";
import { openNats, watchConnection } from "./nats-connection";
import { startNatsCluster, type NatsClusterHandle } from "./nats-cluster-process";
import { startNatsServer, type NatsServerHandle, type SystemUser } from "./nats-server-process";
import { startBus } from "./bus";
import type { SubscriptionsSource } from "./bus/subscriptions-source";
import { emptyBusServersSnapshot } from "../lib/bus/servers";
import { emptyBusConnectionsTopic } from "../lib/bus/connections-topic";
import { emptyBusSubjectsSnapshot } from "../lib/bus/subject-tap";
import { startSubjectTap, type SubjectTap } from "./bus/subject-tap";
import { createSubjectTails, type SubjectTails } from "./bus/subject-tail";
import { DEFAULT_SLOW_SUBSCRIBER, DEMO_MAX_PENDING_BYTES } from "./demo/slow-subscriber";
import { createSampleTick } from "./samplers/jetstream-sampler";
import { registerFleetMetrics, startFleet, type Fleet } from "./fleet/fleet";
import { createHistoryRecorder, openHistoryStore, type HistoryStore } from "./history/history-store";
import { startStreamHistory } from "./streams/history";
import { createServerHistoryRecorder, startServerHistory, type ServerHistory } from "./bus/server-history";
import { createFailoverService, type FailoverService } from "./failover/failover-service";
import { FINDINGS_STREAM } from "./findings/finding-log";
import { startFindings, type FindingsService } from "./findings/service";
import { startAdvisorySubscriber } from "./watchers/advisory-subscriber";
import { startLockWatcher } from "./watchers/lock-watcher";
import { createOutcomeIngest, type OutcomeIngest } from "./watchers/outcome-subscriber";
import { registerOutcomeFoldMetrics } from "./outcomes/outcome-folder";
import { openRollupStore, ROLLUP_STREAM, type RollupStore } from "./outcomes/rollup-store";
import { TRANSITIONS_STREAM } from "./failover/transition-log";
import { ownStreamNames } from "../lib/own-resources";
import { createSnapshotStore, type SnapshotStore } from "./snapshots/store";
import { createAnnotationService, type AnnotationService } from "./annotations/service";
import { replicaInstanceId } from "./annotations/replica-id";
import { openAuditLog, type AuditLog } from "./audit/audit-log";
import { TrustedProxies } from "./client-key";
import { processShared } from "./process-shared";
import { isFatalStartError } from "./errors";
import { describeError } from "../lib/errors";
import { logger, logLine } from "./log";
import { serverRedaction, type CompiledRedaction } from "./redaction";
import type { ConsumerTracker } from "./consumers/tracker";
import type { StreamHistory } from "./streams/history";
import { createPayloadMasker, type PayloadMasker } from "./streams/payload-masker";
import { FailureThrottle } from "../lib/security/auth-guard";
import { REDRIVE_LIMIT } from "./redrive/limits";

export interface Runtime {
  config: BusdeckConfig;
  hub: Hub;
  sseAdmission: SseAdmission;
  /** BUSDECK_TRUSTED_PROXIES, parsed once: whose X-Forwarded-For per-client limits believe (server/client-key.ts). */
  trustedProxies: TrustedProxies;
  /** Caps payload searches and outcome range queries (server/scan-guard.ts). */
  scanGuard: ScanGuard;
  metrics: BusdeckMetrics;
  /** Resolves once the first connection is made; NATS may be down for a while at start. */
  nc: Promise<NatsConnection>;
  jsm: () => Promise<JetStreamManager>;
  embedded: NatsServerHandle | null;
  /** Failover view: classified lock transitions and the timeline store its routes query. */
  failover: FailoverService;
  /** The sampler election: this replica's role and what it sampled or received; null until connected. */
  fleet(): Fleet | null;
  /** Persisted history of samples (reads for past ranges); rejects when NATS or the stream is unavailable. */
  history(): Promise<HistoryStore>;
  /** The per-minute outcome rollups, or null when BUSDECK_OUTCOME_ROLLUPS is off; rejects while unavailable. */
  outcomeRollups(): Promise<RollupStore> | null;
  /** Frozen snapshots (object store), created on first use. */
  snapshots: SnapshotStore;
  /** Operators' notes: KV-backed, broadcast to every replica (origin skips its echo). */
  annotations: AnnotationService;
  /** Masks stored messages for the streams routes: large payloads on threads of their own (server/streams/payload-masker.ts). */
  payloadMasker: PayloadMasker;
  /** Each consumer's recent samples, derived figures and dead letters (the detail page and its history). */
  consumerTracker: ConsumerTracker;
  /** Each stream's recent rates, for the stream page's charts. */
  streamHistory: StreamHistory;
  /** Each bus server's recent figures, for its page's charts (older ones: `history()`). */
  serverHistory: ServerHistory;
  /** The masking rules of BUSDECK_REDACT_* (server/redaction.ts). */
  redaction: CompiledRedaction;
  /** This running dashboard's name in audit records (holder id plus a random part). */
  replicaId: string;
  /** The audit trail (server/audit/): opened on first use; rejects while NATS or the stream is unavailable. */
  audit(): Promise<AuditLog>;
  /** Redrives per user per minute (server/redrive/). */
  redriveLimit: FailureThrottle;
  /** Findings opened and resolved at or after `fromMs` that this replica knows of; none before it connects. */
  findingHistory(fromMs: number): FindingEvent[];
  /** Alerts for findings: targets, delivery log, silences (server/alerts/). */
  alerts: AlertService;
  /** The bus servers' subscription lists, read on request (server/bus/subscriptions-source.ts). */
  busSubscriptions: SubscriptionsSource;
  /** The subject tap (server/bus/subject-tap.ts) while this replica runs it (the elected sampler only), else null. */
  subjectTap(): SubjectTap | null;
  /** Live tails of one subject (server/bus/subject-tail.ts), on every replica: null until connected or with the tap off. */
  subjectTails(): SubjectTails | null;
  stop(): Promise<void>;
}

export function getRuntime(): Promise<Runtime> {
  const shared = processShared();
  shared.runtime ??= createRuntime(process.env).catch((err) => {
    delete shared.runtime;
    throw err;
  });
  return shared.runtime;
}

/** Makes `rt` the process's runtime, as getRuntime would (tests and benches that build their own); null clears it. */
export function installRuntime(rt: Runtime | null): void {
  if (rt) processShared().runtime = Promise.resolve(rt);
  else delete processShared().runtime;
}

/**
 * The runtime if it is already up, else null: for a page's server render that gives the page a head start
 * (its first screen in the HTML) and must not wait on NATS or a failed start to get one.
 */
export function startedRuntime(): Promise<Runtime | null> {
  const notYet = new Promise<null>((resolve) => setImmediate(() => resolve(null)));
  return Promise.race([getRuntime().catch(() => null), notYet]);
}

/**
 * For instrumentation.ts: bad configuration must stop start-up, not leave a half-working dashboard. The runtime,
 * or null when it failed to start for another reason (logged).
 */
export async function startRuntimeOrExit(): Promise<Runtime | null> {
  try {
    return await getRuntime();
  } catch (err) {
    logger.error(err instanceof Error ? err.message : String(err));
    if (isFatalStartError(err)) process.exit(1);
    return null;
  }
}

/** What services log through: one line of text, as the process's structured logger writes it (server/log.ts). */
const log = logLine;

/** busdeck's own streams under this configuration (lib/own-resources.ts). */
function ownStreamsOf(config: ReturnType<typeof parseConfig>): string[] {
  return ownStreamNames({
    streams: [config.history.stream, ROLLUP_STREAM, TRANSITIONS_STREAM, config.audit.stream, FINDINGS_STREAM],
    kvBuckets: [config.fleet.bucket, config.annotations.bucket, config.alerts.silenceBucket],
    objectBuckets: [config.snapshots.bucket],
  });
}

/** The embedded server's system user as configured credentials (the bus servers view reads through it). */
const systemUser = (u: SystemUser | undefined) => (u ? { user: u.user, password: u.password } : null);

/** Exported for integration tests; the app uses getRuntime(). */
export async function createRuntime(env: Record<string, string | undefined>): Promise<Runtime> {
  const config = parseConfig(env);
  const hub = new Hub();
  deriveConsumerRows(hub, ownStreamsOf(config));
  const metrics = createMetrics(hub);
  const mode = config.embedded ? "embedded" : "external";
  let connection: ConnectionState = initialConnectionState(mode, config.demo.enabled, new Date());
  const setConnection = (patch: Partial<ConnectionState>) => {
    if (patch.reconnects !== undefined && patch.reconnects > connection.reconnects) metrics.natsReconnects.inc();
    connection = { ...connection, ...patch };
    hub.publishState("connection", connection);
  };
  setConnection({});
  hub.publishState("streams", { ...emptyStreamsSnapshot(), own_streams: ownStreamsOf(config) });
  hub.publishState("consumers", emptyConsumersSnapshot());
  hub.publishState("outcome_stats", emptyOutcomeStats());
  hub.publishState("findings", emptyFindingsSnapshot());
  hub.publishState("bus_servers", emptyBusServersSnapshot(null));
  hub.publishState("bus_connections", emptyBusConnectionsTopic(null));
  const tapOff = config.subjectTap.subjects.length === 0;
  hub.publishState(
    "bus_subjects",
    emptyBusSubjectsSnapshot(
      tapOff
        ? { mode: "off", reason: config.subjectTap.offReason, configured: [], active: [] }
        : { mode: "paused", reason: "waiting for the NATS connection", configured: config.subjectTap.subjects, active: [] },
      config.subjectTap.maxRate,
    ),
  );
  hub.publishState("alerts", emptyAlertsState());

  let embedded: NatsServerHandle | null = null;
  // BUSDECK_CLUSTER=3: the embedded default as a local 3-node JetStream cluster (demo streams at replicas 3),
  // so RAFT leader elections and replica catch-up can be watched by killing a node.
  let cluster: NatsClusterHandle | null = null;
  if (config.embedded && config.embeddedNodes === 3) {
    cluster = await startNatsCluster();
    const nodes = cluster.nodes;
    process.once("exit", () => nodes.forEach((n) => n.killAndRemoveStoreSync()));
    log(`embedded 3-node JetStream cluster at ${cluster.urls.join(", ")} (nodes ${cluster.names.join(", ")})`);
    config.nats.servers = cluster.urls;
    config.bus.system ??= systemUser(cluster.system);
  } else if (config.embedded) {
    // With the demo, a small max_pending lets its slow subscriber be cut off by a modest burst.
    embedded = await startNatsServer({ storeDir: undefined, maxPendingBytes: config.demo.enabled ? DEMO_MAX_PENDING_BYTES : undefined });
    // The guardian would kill nats-server after we die, but the store must go while we still can remove it.
    const server = embedded;
    process.once("exit", () => server.killAndRemoveStoreSync());
    log(`embedded nats-server with JetStream at ${embedded.url} (monitoring ${embedded.monitorUrl})`);
    config.nats.servers = [embedded.url];
    config.bus.system ??= systemUser(embedded.system);
  }

  const nc = openNats(config.nats);
  nc.catch((err) => setConnection({ status: "closed", last_error: String(err?.message ?? err) }));
  let jsmPromise: Promise<JetStreamManager> | null = null;
  const jsm = () => (jsmPromise ??= nc.then((c) => jetstreamManager(c)).catch((e) => ((jsmPromise = null), Promise.reject(e))));
  const consumerInsights = createConsumerInsights({ env, intervalMs: config.sampler.intervalMs, jsm, registry: metrics.registry });

  const stops: (() => void | Promise<void>)[] = [];
  let fleet: Fleet | null = null;
  registerFleetMetrics(metrics.registry, () => fleet);
  let outcomeIngest: OutcomeIngest | null = null;
  registerOutcomeFoldMetrics(metrics.registry, () => outcomeIngest);
  // Per-minute outcome rollups: written by the ingest, read by it at start and by range queries; retried after a failure.
  let rollupStore: Promise<RollupStore> | null = null;
  const outcomeRollups = () =>
    (rollupStore ??= Promise.all([nc, jsm()])
      .then(([c, m]) => openRollupStore(c, m, { replicas: config.storageReplicas }))
      .catch((e) => ((rollupStore = null), Promise.reject(e))));
  // Persisted sample history (docs/history.md): opened on first write or read; a failure is retried on the next.
  let historyStore: Promise<HistoryStore> | null = null;
  const history = () =>
    (historyStore ??= Promise.all([nc, jsm()])
      .then(([c, m]) => openHistoryStore(c, m, { ...config.history, replicas: config.storageReplicas }))
      .catch((e) => ((historyStore = null), Promise.reject(e))));
  // Rate history for the stream detail charts, fed by the sampler's `streams` snapshots.
  const streamHistory = startStreamHistory(hub);
  stops.push(() => streamHistory.stop());
  // The bus servers' figures: recent ones in memory; the elected sampler writes one record per step.
  const serverHistory = startServerHistory(hub, {
    onStep: config.history.enabled
      ? createServerHistoryRecorder({
          write: async (record) => (await history()).writeServers(record),
          stepMs: config.history.stepMs,
          leading: () => fleet?.status().role === "leader",
          log,
        })
      : undefined,
  });
  stops.push(() => serverHistory.stop());
  const replicaId = replicaInstanceId(config.fleet.holderId);
  let auditLog: Promise<AuditLog> | null = null;
  const audit = () =>
    (auditLog ??= Promise.all([nc, jsm()])
      .then(([c, m]) => openAuditLog(c, m, { ...config.audit, replicas: config.storageReplicas }))
      .catch((e) => ((auditLog = null), Promise.reject(e))));
  const annotations = createAnnotationService({
    nc,
    hub,
    bucket: config.annotations.bucket,
    replicas: config.storageReplicas,
    subject: `${config.fleet.prefix}.annotations`,
    replicaId,
    log,
  });
  stops.push(() => annotations.stop());
  // The configured rules, and the connection settings for the threads' own reads; they start with the first use.
  const payloadMasker = createPayloadMasker({ patterns: serverRedaction(), nats: config.nats, log });
  stops.push(() => payloadMasker.stop());
  // Only the elected sampler alerts: its findings' transitions are handed over by the findings service below.
  const alerts = createAlertService({
    nc,
    hub,
    config: config.alerts,
    replicas: config.storageReplicas,
    replicaId,
    leading: () => fleet?.status().role === "leader",
    log,
  });
  stops.push(() => alerts.stop());
  const failover = createFailoverService({ hub, log, logOptions: { replicas: config.storageReplicas } });
  const bus = startBus({
    config,
    hub,
    intervalMs: config.sampler.intervalMs,
    onSample: (ms, ok) => metrics.samplerDuration.observe({ sampler: "bus", outcome: ok ? "ok" : "error" }, ms / 1000),
    log,
  });
  stops.push(bus.stop);
  let findingsService: FindingsService | null = null;
  let subjectTap: SubjectTap | null = null;
  let subjectTails: SubjectTails | null = null;
  nc.then(async (c) => {
    log(`connected to NATS ${c.getServer()}`);
    stops.push(watchConnection(c, setConnection));
    // The subject tap runs on the elected sampler alone (started and stopped by the fleet below); the others
    // show its `bus_subjects`, relayed. A tail is per replica: bounded, and asked for by one client.
    const waitingForTap = () =>
      hub.publishState(
        "bus_subjects",
        emptyBusSubjectsSnapshot(
          { mode: "paused", reason: "waiting for the elected sampler's tap", configured: config.subjectTap.subjects, active: [] },
          config.subjectTap.maxRate,
        ),
      );
    const tap = tapOff
      ? null
      : {
          start: () =>
            (subjectTap = startSubjectTap({
              nc: c,
              hub,
              ...config.subjectTap,
              // busdeck's own inbox (every replica's) and fan-out subjects
              own: [config.nats.inboxPrefix?.replace(/\.[^.]*$/, "") ?? "_INBOX_busdeck", config.fleet.prefix],
              tappedBy: config.fleet.holderId,
              log,
            })),
          onStopped: () => {
            subjectTap = null;
            waitingForTap();
          },
        };
    if (!tapOff) {
      waitingForTap();
      subjectTails = createSubjectTails({ nc: c, configured: config.subjectTap.subjects, log });
      stops.push(() => subjectTails?.stop());
    }
    // Only the elected replica samples JetStream; the others show its samples (server/fleet/).
    const sampler = {
      jsm,
      hub,
      intervalMs: config.sampler.intervalMs,
      concurrency: config.sampler.concurrency,
      ownStreams: ownStreamsOf(config),
      tracker: consumerInsights.tracker,
      onSample: (ms: number, ok: boolean) =>
        metrics.samplerDuration.observe({ sampler: "jetstream", outcome: ok ? "ok" : "error" }, ms / 1000),
      log,
    };
    const fleetConfig = { ...config.fleet, replicas: config.storageReplicas };
    const recordHistory = config.history.enabled
      ? createHistoryRecorder({ store: history, stepMs: config.history.stepMs, log })
      : undefined;
    const findings = startFindings({
      nc: c,
      jsm,
      hub,
      timeline: failover.store,
      replicas: config.storageReplicas,
      log,
      onTransition: alerts.notify,
    });
    findingsService = findings;
    stops.push(() => findings.stop());
    fleet = startFleet({
      nc: c,
      hub,
      config: fleetConfig,
      intervalMs: config.sampler.intervalMs,
      createTick: () => createSampleTick(sampler),
      tracker: consumerInsights.tracker,
      tap,
      onSample: (sample, leading) => {
        recordHistory?.(sample, leading);
        if (leading) findings.evaluate(sample);
        else findings.followSample(sample);
      },
      log,
    });
    stops.push(() => fleet?.stop());
    const ingest = createOutcomeIngest({
      nc: c,
      jsm,
      hub,
      prefix: config.outcomes.prefix,
      stream: config.outcomes.stream,
      rollups: config.outcomes.rollups ? outcomeRollups : undefined,
      log,
    });
    outcomeIngest = ingest;
    stops.push(() => ingest.stop());
    annotations.start().catch((err) => log(`annotations: start failed: ${err?.message ?? err}`));
    alerts.start().catch((err) => log(`alerts: start failed: ${describeError(err)}`));
    failover.start(c, jsm);
    stops.push(() => failover.stop());
    stops.push(startLockWatcher({ nc: c, hub, buckets: config.lockBuckets, failover }));
    stops.push(startAdvisorySubscriber(c, hub, { onLeader: failover.recordLeader }));
    stops.push(consumerInsights.watchAdvisories(c));
    if (config.demo.enabled) {
      const { startDemo } = await import("./demo/index");
      // BUSDECK_DEMO_FAST=1: the compressed story (a failover every few seconds) for e2e tests and demos.
      const timings = config.demo.fast ? (await import("./demo/timings")).FAST_DEMO_TIMINGS : undefined;
      const demo = await startDemo(c, {
        seed: config.demo.seed,
        rate: config.demo.rate,
        log,
        timings,
        replicas: cluster ? 3 : undefined,
        slowSubscriber: embedded ? DEFAULT_SLOW_SUBSCRIBER : undefined,
      });
      stops.push(() => demo.stop());
      log(`demo workload running (rate ×${config.demo.rate}${config.demo.seed !== undefined ? `, seed ${config.demo.seed}` : ""})`);
    }
  }).catch((err) => log(`runtime start failed: ${err?.message ?? err}`));

  // Next's graceful shutdown waits for open responses, and an SSE response never ends by itself: end every
  // live stream on SIGTERM/SIGINT so the process can exit (browsers reconnect to another replica).
  // The sampler lock is released too, so a peer takes over at its next poll instead of after a lease.
  const endStreams = () => {
    hub.close();
    void fleet?.stop();
  };
  process.once("SIGTERM", endStreams);
  process.once("SIGINT", endStreams);

  return {
    config,
    hub,
    sseAdmission: new SseAdmission(config.sse),
    trustedProxies: new TrustedProxies(config.trustedProxies),
    scanGuard: new ScanGuard(config.scans),
    metrics,
    nc,
    jsm,
    embedded,
    failover,
    fleet: () => fleet,
    history,
    outcomeRollups: () => (config.outcomes.rollups ? outcomeRollups() : null),
    snapshots: createSnapshotStore({ nc, bucket: config.snapshots.bucket, replicas: config.storageReplicas }),
    annotations,
    payloadMasker,
    consumerTracker: consumerInsights.tracker,
    streamHistory,
    serverHistory,
    redaction: serverRedaction(),
    replicaId,
    audit,
    redriveLimit: new FailureThrottle(REDRIVE_LIMIT),
    findingHistory: (fromMs) => findingsService?.history(fromMs) ?? [],
    alerts,
    busSubscriptions: bus.subscriptions,
    subjectTap: () => subjectTap,
    subjectTails: () => subjectTails,
    async stop() {
      for (const s of stops.reverse()) await s();
      hub.close();
      await (await nc.catch(() => null))?.close();
      await embedded?.stop();
      await cluster?.stop();
    },
  };
}
