/**
 * The rules: each turns a verdict busdeck already computes into finding conditions. Pure; `now` is an argument.
 *   consumer_health  the consumer's health verdict (lib/consumers/health.ts) is ERR, STOP, STALL or WARN;
 *                    consumers of busdeck's own streams never count (lib/own-resources.ts), nor do readers that
 *                    owe no work (isReaderOnly).
 *   consumer_loss    the loss forecast (lib/consumers/loss-forecast.ts): messages the consumer had not processed were
 *                    already evicted, or its oldest unprocessed one is evicted within the hour (kept while within
 *                    two once raised, so a rate wobbling around the hour does not flap it). Refused publishes
 *                    are the stream's finding (stream_limit), not one per consumer; readers that ack nothing
 *                    are left out (isReaderOnly: nothing is owed them, a KV watcher needs only the latest).
 *   stream_limit     a discard-new stream is full or fills within the hour; a discard-old one is full (info).
 *   stream_replicas  a clustered stream has no leader, offline replicas, or replicas behind.
 *   handler_error_spike  a handler's errored ratio of the last minutes jumped against the minutes before
 *                    (lib/outcomes/stats.ts `erroredRatioJumped`, the outcomes view's flag).
 *   handler_latency / handler_silent  a handler's p95 regressed, or it went silent (lib/findings/handler-rules.ts).
 *   lease_expired    a singleton's holder has not renewed for longer than its lease: nobody is doing its work.
 *   lock_split_brain two holders wrote a lock within one lease, within the last hour (lib/failover/transition-index.ts).
 *   lock_flapping    more failovers of one lock in its window than the flapping rule allows.
 */
import { LOSS_SOON_MS } from "../consumers/loss-forecast";
import { breachedThresholds, parseMonitorMetadata } from "../consumers/monitor-thresholds";
import type { ConsumersSnapshot } from "../consumers/types";
import type { HealthStatus } from "../consumers/health";
import type { SingletonsSnapshot } from "../failover/timeline";
import { leaseHealth, type LockTransition } from "../failover/lock-transitions";
import { addEntries, EMPTY_INDEX, groupByKey, keyAlarms } from "../failover/transition-index";
import type { OutcomeStats } from "../outcomes/outcome";
import { formatBytes, formatCount, formatDuration } from "../format";
import { links } from "../links";
import { isOwnStream } from "../own-resources";
import {
  fillLevels,
  limitConsequence,
  limitWarning,
  replicaHealth,
  type FillLevel,
  type StreamsSnapshot,
  type StreamSummary,
} from "../streams/types";
import { handlerLatencyConditions, handlerSilenceConditions } from "./handler-rules";
import {
  findingCondition as condition,
  findingId,
  type FindingCondition,
  type FindingEntity,
  type FindingEntityKind,
  type FindingSeverity,
} from "./finding";

export interface FindingInputs {
  now: number;
  /** Ids of the conditions being tracked (pending or open) before this evaluation: what a rule's band keeps. */
  tracked?: { has(id: string): boolean };
  streams: StreamsSnapshot;
  consumers: ConsumersSnapshot;
  singletons: SingletonsSnapshot | null;
  /** Lock transitions of the last hour (at least the split-brain and flapping windows), any order. */
  lockTransitions: readonly LockTransition[];
  outcomes: OutcomeStats | null;
}

export interface RuleResult {
  conditions: FindingCondition[];
  /** Entity kinds whose source gave a full, current answer: only for these does an absent condition count as clear. */
  judged: Set<FindingEntityKind>;
}

const CONSUMER_SEVERITY: Partial<Record<HealthStatus, FindingSeverity>> = {
  ERR: "critical",
  STOP: "critical",
  STALL: "critical",
  WARN: "warning",
};

/**
 * An ephemeral consumer that acknowledges nothing — an ordered consumer, a KV watcher, a tail (busdeck's own on the
 * application's streams and buckets among them): nothing is redelivered or owed when it falls behind, and when its
 * client dies the server keeps it, pending growing, until its inactive threshold (5 min for nats.js ordered
 * consumers, which cannot be shortened) — a leftover, not an outage. An ephemeral consumer with acks still counts.
 */
export const isReaderOnly = (c: { config: { durable: boolean; ack_policy: string } }): boolean =>
  c.config.durable === false && c.config.ack_policy === "none";

export function consumerHealthConditions(consumers: ConsumersSnapshot, ownStreams: readonly string[]): FindingCondition[] {
  const out: FindingCondition[] = [];
  for (const c of consumers.consumers) {
    const health = c.insight?.health;
    const severity = health && CONSUMER_SEVERITY[health.status];
    if (!health || !severity || isOwnStream(c.stream, ownStreams) || isReaderOnly(c)) continue;
    const entity: FindingEntity = { kind: "consumer", stream: c.stream, consumer: c.name };
    const evidence = `${health.status} (${health.rule}): ${health.evidence}`;
    out.push(condition(entity, "consumer_health", severity, evidence, links.consumer(c.stream, c.name)));
  }
  return out;
}

const msOrNull = (iso: string | null) => (iso === null ? null : Date.parse(iso));

/**
 * A consumer's own `io.nats.monitor.*` thresholds (natscli's): a breach is critical, as the CLI's check has it;
 * a key whose value does not parse is ignored, with a warning naming the key and the value.
 */
export function consumerThresholdConditions(consumers: ConsumersSnapshot, ownStreams: readonly string[], now: number): FindingCondition[] {
  const out: FindingCondition[] = [];
  for (const c of consumers.consumers) {
    if (!c.config.monitor_metadata || isOwnStream(c.stream, ownStreams)) continue;
    const entity: FindingEntity = { kind: "consumer", stream: c.stream, consumer: c.name };
    const link = links.consumer(c.stream, c.name);
    const { thresholds, invalid } = parseMonitorMetadata(c.config.monitor_metadata);
    if (invalid.length > 0) {
      const evidence = invalid.map((i) => `${i.key}="${i.value}" ignored: ${i.reason}`).join("; ");
      out.push(condition(entity, "consumer_metadata", "warning", evidence, link));
    }
    const state = { ...c, last_delivery_ms: msOrNull(c.delivered.last_active), last_ack_ms: msOrNull(c.ack_floor.last_active) };
    const breaches = thresholds ? breachedThresholds(thresholds, state, now) : [];
    if (breaches.length > 0) out.push(condition(entity, "consumer_threshold", "critical", breaches.join("; "), link));
  }
  return out;
}

/** An eviction this close raises a consumer_loss finding (the table's amber); once raised, it holds while within the release bound. */
export const LOSS_ALARM_MS = LOSS_SOON_MS;
export const LOSS_RELEASE_MS = 2 * LOSS_ALARM_MS;

/**
 * Loss already happened: critical when the count is exact, a warning when it is a filtered consumer's upper bound.
 * An eviction ahead is a warning within LOSS_ALARM_MS.
 */
export function consumerLossConditions(
  consumers: ConsumersSnapshot,
  ownStreams: readonly string[],
  tracked: { has(id: string): boolean } = new Set(),
): FindingCondition[] {
  const out: FindingCondition[] = [];
  for (const c of consumers.consumers) {
    const loss = c.insight?.loss;
    if (!loss || loss.kind === "rejects_in" || isOwnStream(c.stream, ownStreams) || isReaderOnly(c)) continue;
    const entity: FindingEntity = { kind: "consumer", stream: c.stream, consumer: c.name };
    let severity: FindingSeverity;
    if (loss.kind === "already_evicted") severity = loss.exact ? "critical" : "warning";
    else {
      const within = tracked.has(findingId(entity, "consumer_loss")) ? LOSS_RELEASE_MS : LOSS_ALARM_MS;
      if (loss.ms === null || loss.ms > within) continue;
      severity = "warning";
    }
    out.push(condition(entity, "consumer_loss", severity, loss.evidence, links.consumer(c.stream, c.name)));
  }
  return out;
}

const describeLimit = (l: FillLevel): string =>
  l.limit === "bytes" ? `${formatBytes(l.used)} of ${formatBytes(l.max)}` : `${formatCount(l.used)} of ${formatCount(l.max)} messages`;

/** A discard-new stream this close to full is a warning: publishes are about to be rejected. */
export const STREAM_FILLING_ALARM_MS = 3_600_000;

/**
 * A full stream that refuses publishes is losing data now (critical); one that will within the hour is a warning.
 * A discard-old stream at its limit is working as configured — a ring buffer — so it is only noted (info): whether
 * a consumer loses messages to it is the loss forecast's question. A stream merely filling over hours or days
 * raises nothing: from one sample's rate that verdict comes and goes, and nobody should be woken for it.
 */
export function streamLimitCondition(s: StreamSummary, now: number): FindingCondition | null {
  const level = limitWarning(fillLevels(s, now));
  if (!level) return null;
  const full = level.status === "full";
  const rejects = s.config.discard === "new";
  const soon = level.eta_ms !== null && level.eta_ms <= STREAM_FILLING_ALARM_MS;
  if (!full && !(rejects && soon)) return null;
  const severity: FindingSeverity = rejects ? (full ? "critical" : "warning") : "info";
  const when = full ? "at its limit" : `full in ${formatDuration(level.eta_ms)}`;
  const evidence = `${level.limit} limit: ${describeLimit(level)} (${Math.round(level.ratio * 100)} %), ${when}; ${limitConsequence(s.config.discard)}`;
  return condition({ kind: "stream", stream: s.name }, "stream_limit", severity, evidence, links.stream(s.name));
}

export function streamReplicasCondition(s: StreamSummary): FindingCondition | null {
  const health = replicaHealth(s.cluster, s.config.replicas);
  if (!health || health.tone === "ok") return null;
  const severity: FindingSeverity = health.tone === "bad" ? "critical" : "warning";
  return condition(
    { kind: "stream", stream: s.name },
    "stream_replicas",
    severity,
    `${health.label}: ${health.detail}`,
    links.stream(s.name),
  );
}

export function streamConditions(streams: StreamsSnapshot, now: number): FindingCondition[] {
  const out: FindingCondition[] = [];
  for (const s of streams.streams) {
    if (isOwnStream(s.name, streams.own_streams)) continue;
    const limit = streamLimitCondition(s, now);
    const replicas = streamReplicasCondition(s);
    if (limit) out.push(limit);
    if (replicas) out.push(replicas);
  }
  return out;
}

/** A held lock whose last renewal is older than its lease: the failover gap has outlasted the lease. */
export function leaseConditions(singletons: SingletonsSnapshot, now: number): FindingCondition[] {
  const out: FindingCondition[] = [];
  for (const s of singletons.singletons) {
    const health = leaseHealth(s, now);
    if (health.state !== "expired") continue;
    const entity: FindingEntity = { kind: "singleton", bucket: s.bucket, key: s.key };
    const evidence = `${s.holder} last renewed ${formatDuration(health.age_ms)} ago, over its ${formatDuration(s.lease_ms)} lease; no holder since`;
    out.push(condition(entity, "lease_expired", "critical", evidence, links.failover({ key: s.key })));
  }
  return out;
}

const percent = (ratio: number | null) => `${Math.round((ratio ?? 0) * 100)} %`;

export function handlerSpikeConditions(stats: OutcomeStats): FindingCondition[] {
  const out: FindingCondition[] = [];
  for (const h of Object.values(stats.handlers)) {
    if (!h.flagged) continue;
    const evidence = `errored ${percent(h.recent_errored_ratio)} of outcomes in the last minutes, against ${percent(h.baseline_errored_ratio)} before`;
    const entity: FindingEntity = { kind: "handler", handler: h.handler_id };
    out.push(condition(entity, "handler_error_spike", "warning", evidence, links.outcomes({ handler: h.handler_id })));
  }
  return out;
}

/** Split-brain and flapping per lock, judged on the transitions as the Failover view's cards judge them. */
export function lockAlarmConditions(transitions: readonly LockTransition[], now: number): FindingCondition[] {
  const out: FindingCondition[] = [];
  const index = addEntries(
    EMPTY_INDEX,
    transitions.map((transition) => ({ source: "lock" as const, transition })),
  );
  for (const [, timeline] of groupByKey(index)) {
    const last = timeline.transitions.at(-1)!;
    const alarms = keyAlarms(timeline, now);
    const entity: FindingEntity = { kind: "singleton", bucket: last.bucket, key: last.key };
    const link = links.failover({ key: last.key });
    const split = alarms.split_brain;
    if (split) {
      const evidence = `${split.holder} took the lock at ${split.at} while ${split.previous_holder}'s lease still ran: two holders at once`;
      out.push(condition(entity, "lock_split_brain", "critical", evidence, link));
    }
    if (alarms.flapping) {
      const evidence = `${alarms.flapping.failovers} failovers in ${formatDuration(alarms.flapping.window_ms)}`;
      out.push(condition(entity, "lock_flapping", "warning", evidence, link));
    }
  }
  return out;
}

/** Every rule over one sample. A snapshot that is not `ok` is not judged: its findings hold as they are. */
export function evaluateRules(inputs: FindingInputs): RuleResult {
  const judged = new Set<FindingEntityKind>();
  const conditions: FindingCondition[] = [];
  if (inputs.consumers.status === "ok") {
    judged.add("consumer");
    conditions.push(
      ...consumerHealthConditions(inputs.consumers, inputs.streams.own_streams),
      ...consumerThresholdConditions(inputs.consumers, inputs.streams.own_streams, inputs.now),
      ...consumerLossConditions(inputs.consumers, inputs.streams.own_streams, inputs.tracked),
    );
  }
  if (inputs.streams.status === "ok") {
    judged.add("stream");
    conditions.push(...streamConditions(inputs.streams, inputs.now));
  }
  if (inputs.singletons?.status === "ok") {
    judged.add("singleton");
    conditions.push(...leaseConditions(inputs.singletons, inputs.now), ...lockAlarmConditions(inputs.lockTransitions, inputs.now));
  }
  if (inputs.outcomes?.computed_at) {
    judged.add("handler");
    conditions.push(
      ...handlerSpikeConditions(inputs.outcomes),
      ...handlerLatencyConditions(inputs.outcomes),
      ...handlerSilenceConditions(inputs.outcomes),
    );
  }
  return { conditions, judged };
}
