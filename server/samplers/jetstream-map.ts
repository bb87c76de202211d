/** Maps the JetStream API's shapes onto busdeck's wire types (lib/). Pure; no IO. */
import type { ClusterInfo, ConsumerInfo, SequenceInfo, StreamInfo, StreamSourceInfo } from "@nats-io/jetstream";
import { sameList, type ConsumerBase, type ConsumerConfigSummary, type SequenceInfo as SequenceInfoSummary } from "../../lib/consumers";
import type { ClusterPlacement, ReplicationInfo, StreamSummary } from "../../lib/streams";

const NANOS_PER_MS = 1_000_000;
const nanosToMs = (n: number | undefined) => (n ? Math.round(n / NANOS_PER_MS) : 0);
/** Go's zero time means "never". */
const isoOrNull = (ts: string | undefined | null) => (!ts || ts.startsWith("0001-01-01") ? null : ts);

export function mapCluster(c: ClusterInfo | undefined): ClusterPlacement | null {
  if (!c) return null;
  return {
    name: c.name ?? null,
    leader: c.leader ?? null,
    replicas: (c.replicas ?? []).map((r) => ({
      name: r.name,
      current: r.current,
      offline: Boolean(r.offline),
      lag: r.lag ?? 0,
      active_ms: nanosToMs(r.active),
    })),
  };
}

export function mapStream(si: StreamInfo, sampledAt: string): Omit<StreamSummary, "rates"> {
  const c = si.config;
  return {
    name: c.name,
    created: si.created,
    config: {
      subjects: c.subjects ?? [],
      retention: String(c.retention),
      storage: String(c.storage),
      replicas: c.num_replicas ?? 1,
      max_age_ms: nanosToMs(c.max_age),
      max_bytes: c.max_bytes ?? -1,
      max_msgs: c.max_msgs ?? -1,
      max_msg_size: c.max_msg_size ?? -1,
      discard: String(c.discard ?? "old"),
      description: c.description ?? null,
      mirror: c.mirror?.name ?? null,
      sources: (c.sources ?? []).map((s) => s.name),
    },
    state: {
      messages: si.state.messages,
      bytes: si.state.bytes,
      first_seq: si.state.first_seq,
      last_seq: si.state.last_seq,
      first_ts: isoOrNull(si.state.first_ts),
      last_ts: isoOrNull(si.state.last_ts),
      num_subjects: si.state.num_subjects ?? 0,
      num_deleted: si.state.num_deleted ?? 0,
      consumer_count: si.state.consumer_count,
    },
    cluster: mapCluster(si.cluster),
    sampled_at: sampledAt,
    replication: mapReplication(si),
  };
}

/** Mirror / source lag; `active` is -1 (nanos) when there has been no activity. */
export function mapReplication(si: Pick<StreamInfo, "mirror" | "sources">): ReplicationInfo[] {
  const one = (kind: ReplicationInfo["kind"], s: StreamSourceInfo): ReplicationInfo => ({
    kind,
    name: s.name,
    lag: s.lag ?? 0,
    active_ms: s.active === undefined || s.active < 0 ? null : nanosToMs(s.active),
  });
  return [...(si.mirror ? [one("mirror", si.mirror)] : []), ...(si.sources ?? []).map((s) => one("source", s))];
}

function mapSeq(s: SequenceInfo | undefined): ConsumerBase["delivered"] {
  // The server sends last_active as an RFC 3339 time although the client types it as nanos.
  const last = s?.last_active as unknown;
  return {
    consumer_seq: s?.consumer_seq ?? 0,
    stream_seq: s?.stream_seq ?? 0,
    last_active: typeof last === "string" ? isoOrNull(last) : null,
  };
}

/**
 * A consumer-list entry as busdeck's wire type. With the consumer's mapping from the previous sample, its parts
 * that did not change (the config nearly always, the sequences of an idle consumer, the placement) are that
 * mapping's objects: the sampler maps 10,000 consumers a tick and each mapping lives until the next sample, long
 * enough to be promoted — new copies of equal objects were old-generation garbage every tick.
 */
export function mapConsumer(ci: ConsumerInfo, sampledAt: string, prev?: ConsumerBase): ConsumerBase {
  const c = ci.config;
  const filters = c.filter_subjects?.length ? c.filter_subjects : c.filter_subject ? [c.filter_subject] : [];
  const config: ConsumerConfigSummary = {
    durable: Boolean(c.durable_name),
    filter_subjects: filters,
    ack_policy: String(c.ack_policy),
    ack_wait_ms: nanosToMs(c.ack_wait),
    max_deliver: c.max_deliver ?? -1,
    max_ack_pending: c.max_ack_pending ?? -1,
    deliver_policy: String(c.deliver_policy),
    push: Boolean(c.deliver_subject),
    paused: Boolean(ci.paused),
    description: c.description ?? null,
  };
  const delivered = mapSeq(ci.delivered);
  const ackFloor = mapSeq(ci.ack_floor);
  const cluster = mapCluster(ci.cluster);
  return {
    stream: ci.stream_name,
    name: ci.name,
    created: ci.created,
    config: prev && sameConsumerConfig(prev.config, config) ? prev.config : config,
    num_pending: ci.num_pending,
    num_ack_pending: ci.num_ack_pending,
    num_redelivered: ci.num_redelivered,
    num_waiting: ci.num_waiting,
    delivered: prev && sameSequence(prev.delivered, delivered) ? prev.delivered : delivered,
    ack_floor: prev && sameSequence(prev.ack_floor, ackFloor) ? prev.ack_floor : ackFloor,
    cluster: prev && sameCluster(prev.cluster, cluster) ? prev.cluster : cluster,
    sampled_at: sampledAt,
  };
}

export function sameConsumerConfig(a: ConsumerConfigSummary, b: ConsumerConfigSummary): boolean {
  return (
    a.durable === b.durable &&
    sameList(a.filter_subjects, b.filter_subjects) &&
    a.ack_policy === b.ack_policy &&
    a.ack_wait_ms === b.ack_wait_ms &&
    a.max_deliver === b.max_deliver &&
    a.max_ack_pending === b.max_ack_pending &&
    a.deliver_policy === b.deliver_policy &&
    a.push === b.push &&
    a.paused === b.paused &&
    a.description === b.description
  );
}

const sameSequence = (a: SequenceInfoSummary, b: SequenceInfoSummary) => a.consumer_seq === b.consumer_seq && a.stream_seq === b.stream_seq && a.last_active === b.last_active;

export function sameCluster(a: ClusterPlacement | null, b: ClusterPlacement | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.name !== b.name || a.leader !== b.leader || a.replicas.length !== b.replicas.length) return false;
  for (let k = 0; k < a.replicas.length; k++) {
    const x = a.replicas[k]!;
    const y = b.replicas[k]!;
    if (x.name !== y.name || x.current !== y.current || x.offline !== y.offline || x.lag !== y.lag || x.active_ms !== y.active_ms) return false;
  }
  return true;
}
