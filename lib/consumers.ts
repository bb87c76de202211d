/** Consumer wire types: what the sampler publishes per consumer each tick. */
import type { ClusterPlacement, SnapshotStatus } from "./streams";
import type { ConsumerInsight } from "./consumer-health";

export interface SequenceInfo {
  consumer_seq: number;
  stream_seq: number;
  last_active: string | null;
}

export interface ConsumerConfigSummary {
  durable: boolean;
  filter_subjects: string[];
  ack_policy: string;
  ack_wait_ms: number;
  max_deliver: number;
  max_ack_pending: number;
  deliver_policy: string;
  push: boolean;
  paused: boolean;
  description: string | null;
}

/** What one JetStream consumer-list entry says, before busdeck derives anything from the sample window. */
export interface ConsumerBase {
  stream: string;
  name: string;
  created: string;
  config: ConsumerConfigSummary;
  num_pending: number;
  num_ack_pending: number;
  num_redelivered: number;
  num_waiting: number;
  delivered: SequenceInfo;
  ack_floor: SequenceInfo;
  cluster: ClusterPlacement | null;
  sampled_at: string;
}

/** The list entry plus what busdeck derives from the window of samples (lag seconds, rates, health, sparkline). */
export interface ConsumerSummary extends ConsumerBase {
  /** null until the consumer tracker has seen it (e.g. a snapshot from a sampler without one). */
  insight: ConsumerInsight | null;
}

export interface ConsumersSnapshot {
  status: SnapshotStatus;
  sampled_at: string | null;
  duration_ms: number | null;
  consumers: ConsumerSummary[];
  errors: { stream: string | null; message: string }[];
}

export const emptyConsumersSnapshot = (): ConsumersSnapshot => ({
  status: "initializing",
  sampled_at: null,
  duration_ms: null,
  consumers: [],
  errors: [],
});

/** Unprocessed messages: not yet delivered plus delivered but unacknowledged. */
export function lagMessages(c: Pick<ConsumerSummary, "num_pending" | "num_ack_pending">): number {
  return c.num_pending + c.num_ack_pending;
}
