/** Maps the JetStream API's shapes onto busdeck's wire types (lib/). Pure; no IO. */
import { monitorMetadataOf, sameMonitorMetadata } from "../../lib/consumers/monitor-thresholds";
import type { ClusterInfo, ConsumerInfo, SequenceInfo, StreamInfo, StreamSourceInfo } from "@nats-io/jetstream";
import {
  sameList,
  type ConsumerBase,
  type ConsumerConfigSummary,
  type SequenceInfo as SequenceInfoSummary,
} from "../../lib/consumers/types";
import type { ClusterPlacement, ReplicationInfo, StreamSummary } from "../../lib/streams/types";

const NANOS_PER_MS = 1_000_000;
const nanosToMs = (n: number | undefined) => (n ? Math.round(n / NANOS_PER_MS) : 0);
/** Go's zero time means "never". */
const isoOrNull = (ts: string | undefined | null) => (!ts || ts.startsWith("0001-01-01") ? null : ts);

/** With `prev`, the previous mapping when it shows the same placement. */
export function mapCluster(c: ClusterInfo | undefined, prev?: ClusterPlacement | null): ClusterPlacement | null {
  if (!c) return null;
  if (prev && sameClusterInfo(prev, c)) return prev;
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
      max_msgs_per_subject: c.max_msgs_per_subject ?? -1,
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

function mapSeq(s: SequenceInfo | undefined, prev?: SequenceInfoSummary): ConsumerBase["delivered"] {
  // The server sends last_active as an RFC 3339 time although the client types it as nanos.
  const last = s?.last_active as unknown;
  const consumerSeq = s?.consumer_seq ?? 0;
  const streamSeq = s?.stream_seq ?? 0;
  const lastActive = typeof last === "string" ? isoOrNull(last) : null;
  if (prev && prev.consumer_seq === consumerSeq && prev.stream_seq === streamSeq && prev.last_active === lastActive) return prev;
  return { consumer_seq: consumerSeq, stream_seq: streamSeq, last_active: lastActive };
}

/** The consumer's filter subjects as busdeck lists them: `filter_subjects`, else the one `filter_subject`, else none. */
function filtersOf(c: ConsumerInfo["config"]): string[] {
  return c.filter_subjects?.length ? c.filter_subjects : c.filter_subject ? [c.filter_subject] : [];
}

/** filtersOf(c) equals `list`, without building it. */
function sameFilters(list: readonly string[], c: ConsumerInfo["config"]): boolean {
  if (c.filter_subjects?.length) return sameList(list, c.filter_subjects);
  return c.filter_subject ? list.length === 1 && list[0] === c.filter_subject : list.length === 0;
}

function mapConsumerConfig(ci: ConsumerInfo, prev?: ConsumerConfigSummary): ConsumerConfigSummary {
  const c = ci.config;
  const durable = Boolean(c.durable_name);
  const ackPolicy = String(c.ack_policy);
  const ackWaitMs = nanosToMs(c.ack_wait);
  const maxDeliver = c.max_deliver ?? -1;
  const maxAckPending = c.max_ack_pending ?? -1;
  const deliverPolicy = String(c.deliver_policy);
  const push = Boolean(c.deliver_subject);
  const paused = Boolean(ci.paused);
  const description = c.description ?? null;
  const monitor = monitorMetadataOf(c.metadata);
  if (
    prev &&
    prev.durable === durable &&
    sameFilters(prev.filter_subjects, c) &&
    prev.ack_policy === ackPolicy &&
    prev.ack_wait_ms === ackWaitMs &&
    prev.max_deliver === maxDeliver &&
    prev.max_ack_pending === maxAckPending &&
    prev.deliver_policy === deliverPolicy &&
    prev.push === push &&
    prev.paused === paused &&
    prev.description === description &&
    sameMonitorMetadata(prev.monitor_metadata, monitor)
  ) {
    return prev;
  }
  return {
    durable,
    filter_subjects: filtersOf(c),
    ack_policy: ackPolicy,
    ack_wait_ms: ackWaitMs,
    max_deliver: maxDeliver,
    max_ack_pending: maxAckPending,
    deliver_policy: deliverPolicy,
    push,
    paused,
    description,
    ...(monitor ? { monitor_metadata: monitor } : {}),
  };
}

/**
 * A consumer-list entry as busdeck's wire type. With the consumer's mapping from the previous sample, its parts
 * that did not change (the config nearly always, the sequences of an idle consumer, the placement) are that
 * mapping's objects, compared field by field before anything is built: an equal copy lives until the next sample,
 * long enough to be promoted, and ends as old-generation garbage. The creation time too: JSON.parse gives each
 * sample a new copy of that string.
 */
export function mapConsumer(ci: ConsumerInfo, sampledAt: string, prev?: ConsumerBase): ConsumerBase {
  const cluster = mapCluster(ci.cluster, prev?.cluster);
  return {
    stream: ci.stream_name,
    name: ci.name,
    created: prev !== undefined && prev.created === ci.created ? prev.created : ci.created,
    config: mapConsumerConfig(ci, prev?.config),
    num_pending: ci.num_pending,
    num_ack_pending: ci.num_ack_pending,
    num_redelivered: ci.num_redelivered,
    num_waiting: ci.num_waiting,
    delivered: mapSeq(ci.delivered, prev?.delivered),
    ack_floor: mapSeq(ci.ack_floor, prev?.ack_floor),
    cluster,
    sampled_at: sampledAt,
  };
}

const NO_REPLICAS: NonNullable<ClusterInfo["replicas"]> = [];

/** mapCluster(b) equals `a`, without building it. */
function sameClusterInfo(a: ClusterPlacement, b: ClusterInfo): boolean {
  const replicas = b.replicas ?? NO_REPLICAS;
  if (a.name !== (b.name ?? null) || a.leader !== (b.leader ?? null) || a.replicas.length !== replicas.length) return false;
  for (let k = 0; k < replicas.length; k++) {
    const x = a.replicas[k]!;
    const y = replicas[k]!;
    if (
      x.name !== y.name ||
      x.current !== y.current ||
      x.offline !== Boolean(y.offline) ||
      x.lag !== (y.lag ?? 0) ||
      x.active_ms !== nanosToMs(y.active)
    )
      return false;
  }
  return true;
}
