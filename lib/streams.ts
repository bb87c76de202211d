/** Stream wire types and the pure math behind the Streams view (rates from two samples). */

export interface StreamState {
  messages: number;
  bytes: number;
  first_seq: number;
  last_seq: number;
  first_ts: string | null;
  last_ts: string | null;
  num_subjects: number;
  num_deleted: number;
  consumer_count: number;
}

export interface ReplicaInfo {
  name: string;
  current: boolean;
  offline: boolean;
  lag: number;
  active_ms: number;
}

export interface ClusterPlacement {
  name: string | null;
  leader: string | null;
  replicas: ReplicaInfo[];
}

export interface StreamConfigSummary {
  subjects: string[];
  retention: string;
  storage: string;
  replicas: number;
  max_age_ms: number;
  max_bytes: number;
  max_msgs: number;
  max_msg_size: number;
  discard: string;
  description: string | null;
  mirror: string | null;
  sources: string[];
}

export interface StreamRates {
  msgs_per_s: number;
  bytes_per_s: number;
}

export interface StreamSummary {
  name: string;
  created: string;
  config: StreamConfigSummary;
  state: StreamState;
  cluster: ClusterPlacement | null;
  rates: StreamRates | null;
  sampled_at: string;
}

export type SnapshotStatus = "initializing" | "ok" | "degraded";

export interface StreamsSnapshot {
  status: SnapshotStatus;
  sampled_at: string | null;
  duration_ms: number | null;
  streams: StreamSummary[];
  /** Per-stream failures: one bad stream never blanks the others. */
  errors: { stream: string | null; message: string }[];
}

export const emptyStreamsSnapshot = (): StreamsSnapshot => ({
  status: "initializing",
  sampled_at: null,
  duration_ms: null,
  streams: [],
  errors: [],
});

/**
 * Ingest rate from two samples of the same stream. last_seq counts every message ever stored, so it keeps
 * rising when limits drop old messages; bytes can fall under retention, so bytes/s is clamped at zero.
 */
export function streamRates(
  prev: Pick<StreamSummary, "state" | "sampled_at"> | undefined,
  next: Pick<StreamSummary, "state" | "sampled_at">,
): StreamRates | null {
  if (!prev) return null;
  const dt = (Date.parse(next.sampled_at) - Date.parse(prev.sampled_at)) / 1000;
  if (!(dt > 0)) return null;
  const dSeq = next.state.last_seq - prev.state.last_seq;
  if (dSeq < 0) return null; // stream recreated: no honest rate from this pair
  const dBytes = Math.max(0, next.state.bytes - prev.state.bytes);
  return { msgs_per_s: dSeq / dt, bytes_per_s: dBytes / dt };
}
