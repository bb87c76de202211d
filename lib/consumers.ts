/** Consumer wire types: what the sampler publishes per consumer each tick. */
import type { ClusterPlacement, SnapshotStatus } from "./streams";

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

export interface ConsumerSummary {
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
