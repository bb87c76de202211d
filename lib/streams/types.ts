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
  /** -1 or absent: no per-subject limit (optional so older snapshots and fixtures stay valid). */
  max_msgs_per_subject?: number;
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

/** A mirror's or source's replication progress (from stream info). */
export interface ReplicationInfo {
  kind: "mirror" | "source";
  name: string;
  /** Messages the origin holds that this stream has not copied yet. */
  lag: number;
  /** ms since the last replication activity; null when there has been none. */
  active_ms: number | null;
}

export interface StreamSummary {
  name: string;
  created: string;
  config: StreamConfigSummary;
  state: StreamState;
  cluster: ClusterPlacement | null;
  rates: StreamRates | null;
  sampled_at: string;
  /** Present for mirrors and sourcing streams (optional so older snapshots and fixtures stay valid). */
  replication?: ReplicationInfo[];
}

export type SnapshotStatus = "initializing" | "ok" | "degraded";

export interface StreamsSnapshot {
  status: SnapshotStatus;
  sampled_at: string | null;
  duration_ms: number | null;
  streams: StreamSummary[];
  /** Per-stream failures: one bad stream never blanks the others. */
  errors: { stream: string | null; message: string }[];
  /** busdeck's own streams (lib/own-resources.ts): listed when asked for, never counted as needing attention. */
  own_streams: string[];
}

export const emptyStreamsSnapshot = (): StreamsSnapshot => ({
  status: "initializing",
  sampled_at: null,
  duration_ms: null,
  streams: [],
  errors: [],
  own_streams: [],
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

// ---------------------------------------------------------------------------------------------------------
// Fill levels against the configured limits, and when a limit will be hit at the current ingest rate.

export type LimitKind = "bytes" | "msgs" | "age";

export interface FillLevel {
  limit: LimitKind;
  /** bytes, messages, or ms (age of the oldest message). */
  used: number;
  max: number;
  /** used / max, not clamped: 1.02 means over the limit (a limit was lowered under existing data). */
  ratio: number;
  /** ms until `used` reaches `max` at the current ingest rate; null when not growing or no rate yet. */
  eta_ms: number | null;
  /** ok: room to spare; filling: will hit the limit within the retention window; full: at or over it. */
  status: "ok" | "filling" | "full";
}

/**
 * Without max_age a stream keeps messages forever, so "within the retention window" has no bound; warn when a
 * size limit is a day away instead, so an unlimited-age stream does not warn about a limit years ahead.
 */
export const UNBOUNDED_WINDOW_MS = 24 * 3_600_000;
/** Treat ≥ 99.5% as full: a stream at its limit under discard=old hovers just below it. */
const FULL_RATIO = 0.995;

/**
 * Fill level of each configured limit (unset limits are omitted). Size ETAs use the ingest rate in messages ×
 * the average stored message size, because net bytes/s is zero for a stream that already drops old data.
 * The age "limit" is never a warning: ageing out is how max_age works; it is shown for scale only.
 */
export function fillLevels(
  s: Pick<StreamSummary, "config" | "state" | "rates">,
  now: number,
  /** A steadier rate than the last sample's (e.g. the mean over the detail page's chart range). */
  rate: StreamRates | null = s.rates,
): FillLevel[] {
  const { config: c, state } = s;
  const window = c.max_age_ms > 0 ? c.max_age_ms : UNBOUNDED_WINDOW_MS;
  const msgsPerS = rate?.msgs_per_s ?? 0;
  const avgSize = state.messages > 0 ? state.bytes / state.messages : 0;
  const bytesPerS = Math.max(rate?.bytes_per_s ?? 0, msgsPerS * avgSize);
  const levels: FillLevel[] = [];
  const sized = (limit: "bytes" | "msgs", used: number, max: number, perS: number) => {
    const ratio = used / max;
    const eta = perS > 0 ? Math.max(0, ((max - used) / perS) * 1000) : null;
    const status = ratio >= FULL_RATIO ? "full" : eta !== null && eta <= window ? "filling" : "ok";
    levels.push({ limit, used, max, ratio, eta_ms: ratio >= FULL_RATIO ? 0 : eta, status });
  };
  if (c.max_bytes > 0) sized("bytes", state.bytes, c.max_bytes, bytesPerS);
  if (c.max_msgs > 0) sized("msgs", state.messages, c.max_msgs, msgsPerS);
  if (c.max_age_ms > 0) {
    const first = state.first_ts ? Date.parse(state.first_ts) : NaN;
    const used = state.messages > 0 && Number.isFinite(first) ? Math.max(0, now - first) : 0;
    levels.push({ limit: "age", used, max: c.max_age_ms, ratio: used / c.max_age_ms, eta_ms: null, status: "ok" });
  }
  return levels;
}

/** The one warning a stream row shows: the most urgent size limit that is full or filling, if any. */
export function limitWarning(levels: readonly FillLevel[]): FillLevel | null {
  const urgent = levels.filter((l) => l.status !== "ok");
  if (urgent.length === 0) return null;
  return urgent.reduce((a, b) => ((a.eta_ms ?? Infinity) <= (b.eta_ms ?? Infinity) ? a : b));
}

/** What reaching a size limit means depends on the discard policy: dropping old data, or refusing publishes. */
export function limitConsequence(discard: string): string {
  return discard === "new" ? "new messages will be rejected" : "oldest messages will be dropped early";
}

// ---------------------------------------------------------------------------------------------------------
// Replica health for clustered streams.

export interface ReplicaHealth {
  tone: "ok" | "warn" | "bad";
  label: string;
  detail: string;
}

/** Offline replicas or no leader are bad; a replica that is not current or lags is behind. Null when not clustered. */
export function replicaHealth(cluster: ClusterPlacement | null, configuredReplicas: number): ReplicaHealth | null {
  if (!cluster || (configuredReplicas <= 1 && cluster.replicas.length === 0)) return null;
  const offline = cluster.replicas.filter((r) => r.offline);
  const behind = cluster.replicas.filter((r) => !r.offline && (!r.current || r.lag > 0));
  if (!cluster.leader) return { tone: "bad", label: "no leader", detail: "the stream has no elected leader" };
  if (offline.length > 0)
    return { tone: "bad", label: `${offline.length} offline`, detail: `offline: ${offline.map((r) => r.name).join(", ")}` };
  if (behind.length > 0)
    return {
      tone: "warn",
      label: `${behind.length} behind`,
      detail: `behind: ${behind.map((r) => `${r.name} (lag ${r.lag})`).join(", ")}`,
    };
  return { tone: "ok", label: `R${configuredReplicas} current`, detail: `leader ${cluster.leader}; all replicas current` };
}
