/**
 * Alerts for findings: the elected sampler hands every finding it opened or resolved to `notify`,
 * which checks the silences and queues a delivery per configured target. Alertmanager forgets a firing alert
 * after its resolve_timeout, so the open findings are re-sent to it on a timer while this replica leads. Each
 * delivery result is broadcast, so every replica's /alerts page shows the same log.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { addDelivery, DeliveryRecordSchema, emptyAlertsState, type AlertsState, type DeliveryRecord } from "../../lib/alerts/deliveries";
import { buildSilence, listedSilences, silenceFor, type NewSilence, type Silence } from "../../lib/alerts/silences";
import type { BackoffPolicy } from "../../lib/alerts/backoff";
import type { FindingEvent } from "../../lib/findings/events";
import type { Finding } from "../../lib/findings/finding";
import { describeError } from "../../lib/errors";
import { ID_BYTES, idFromBytes } from "../../lib/wire/ids";
import type { BusdeckConfig } from "../config";
import type { Hub } from "../hub/hub";
import type { ReplicaSetting } from "../replicas";
import { createDeliveryQueue, type DeliveryQueue } from "./delivery-queue";
import { createSilenceStore } from "./silence-store";
import { configuredTargets, type AlertTarget } from "./targets";

/** Well inside Alertmanager's default resolve_timeout (5 min). */
const REFRESH_MS = 60_000;

export interface AlertServiceOptions {
  nc: Promise<NatsConnection>;
  hub: Hub;
  config: BusdeckConfig["alerts"];
  replicas: ReplicaSetting;
  /** Unique per running dashboard: a replica skips the echo of its own delivery broadcasts. */
  replicaId: string;
  /** Whether this replica is the elected sampler now (it alone refreshes Alertmanager). */
  leading: () => boolean;
  log: (msg: string) => void;
  targets?: AlertTarget[];
  backoff?: BackoffPolicy;
  refreshMs?: number;
  now?: () => number;
}

export interface AlertService {
  start(): Promise<void>;
  /** A finding this replica opened or resolved as the elected sampler (written to the log, not a duplicate). */
  notify(event: FindingEvent): void;
  addSilence(input: NewSilence, author: string): Promise<Silence>;
  expireSilence(id: string): Promise<Silence | null>;
  state(): AlertsState;
  stop(): void;
}

export function createAlertService(opts: AlertServiceOptions): AlertService {
  const now = opts.now ?? Date.now;
  const targets = opts.targets ?? configuredTargets(opts.config);
  let state: AlertsState = { ...emptyAlertsState(), targets: targets.map((t) => t.info) };
  const publish = (patch: Partial<AlertsState>) => {
    state = { ...state, ...patch };
    opts.hub.publishState("alerts", state);
  };
  publish({});

  const silences = createSilenceStore({
    nc: opts.nc,
    bucket: opts.config.silenceBucket,
    replicas: opts.replicas,
    onChange: (all) => publish({ silences: listedSilences(all, now()) }),
    log: opts.log,
  });

  const record = (r: DeliveryRecord) => {
    publish({ deliveries: addDelivery(state.deliveries, r) });
    void opts.nc
      .then((nc) => nc.publish(opts.config.subject, JSON.stringify({ origin: opts.replicaId, record: r })))
      .catch((err) => opts.log(`alerts: delivery log broadcast failed: ${describeError(err)}`));
  };
  const queues = new Map<AlertTarget, DeliveryQueue>(
    targets.map((target) => [target, createDeliveryQueue({ target, onRecord: record, backoff: opts.backoff, now })]),
  );

  let sub: Subscription | null = null;
  const onBroadcast = (data: Uint8Array) => {
    try {
      const msg = JSON.parse(new TextDecoder().decode(data)) as { origin?: unknown; record?: unknown };
      const parsed = DeliveryRecordSchema.safeParse(msg.record);
      if (msg.origin !== opts.replicaId && parsed.success) publish({ deliveries: addDelivery(state.deliveries, parsed.data) });
    } catch {
      // not a delivery broadcast: ignored
    }
  };

  /** Ids of deliveries and silences: random, URL-safe. */
  const newId = () => idFromBytes(randomBytes(ID_BYTES));

  /** Alertmanager alone: the open findings no silence mutes, as one batch, tried once. */
  const refresh = () => {
    if (!opts.leading()) return;
    const at = now();
    const open = (opts.hub.getState("findings")?.open ?? []).filter((f) => !silenceFor(f, silences.list(), at));
    const am = targets.find((t) => t.kind === "alertmanager");
    if (!am || open.length === 0) return;
    const summary = `${open.length} open finding${open.length === 1 ? "" : "s"}`;
    queues
      .get(am)!
      .enqueue({ id: newId(), transition: "refresh", finding_id: summary, link: null, findings: open, maxAttempts: 1, quiet: true });
  };
  const refreshTimer = setInterval(refresh, opts.refreshMs ?? REFRESH_MS);
  refreshTimer.unref?.();

  const silencedRecord = (finding: Finding, transition: FindingEvent["type"], silence: Silence, target: AlertTarget) =>
    record({
      id: `${newId()}/${target.kind}`,
      at: new Date(now()).toISOString(),
      target: target.kind,
      finding_id: finding.id,
      link: finding.link,
      transition,
      result: "silenced",
      attempts: 0,
      error: `silenced until ${silence.ends_at}: ${silence.reason}`,
    });

  return {
    async start() {
      const nc = await opts.nc;
      sub = nc.subscribe(opts.config.subject, {
        callback: (err, msg) => {
          if (!err) onBroadcast(msg.data);
        },
      });
      await silences.start();
    },
    notify({ type, finding, previous_severity: previousSeverity }) {
      const silence = silenceFor(finding, silences.list(), now());
      const id = newId();
      for (const [target, queue] of queues) {
        if (silence) silencedRecord(finding, type, silence, target);
        else queue.enqueue({ id, transition: type, finding_id: finding.id, link: finding.link, findings: [finding], previousSeverity });
      }
    },
    async addSilence(input, author) {
      const silence = buildSilence(input, { id: newId(), author, now: now() });
      await silences.put(silence);
      return silence;
    },
    expireSilence: (id) => silences.expire(id, now()),
    state: () => state,
    stop() {
      clearInterval(refreshTimer);
      sub?.unsubscribe();
      silences.stop();
      for (const q of queues.values()) q.stop();
    },
  };
}
