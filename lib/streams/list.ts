/** Search, filter and sort of the streams list (pure; the state comes from the URL). */
import type { StreamsListState } from "./queries";
import { fillLevels, limitWarning, replicaHealth, type StreamSummary } from "./types";

export interface StreamRow {
  stream: StreamSummary;
  warning: ReturnType<typeof limitWarning>;
  health: ReturnType<typeof replicaHealth>;
  /** Highest size-limit fill ratio (0 when no size limit): the "fill" sort key. */
  fill: number;
  /** One of busdeck's own streams (lib/own-resources.ts): listed, never counted as needing attention. */
  own: boolean;
}

export function toStreamRow(s: StreamSummary, now: number, own = false): StreamRow {
  const levels = fillLevels(s, now);
  return {
    stream: s,
    own,
    warning: limitWarning(levels),
    health: replicaHealth(s.cluster, s.config.replicas),
    fill: Math.max(0, ...levels.filter((l) => l.limit !== "age").map((l) => l.ratio)),
  };
}

/** A limit about to be hit or a replica unhealthy, on a stream of the bus (busdeck's own never raise an alarm). */
export const needsAttention = (r: StreamRow) => !r.own && (r.warning !== null || (r.health !== null && r.health.tone !== "ok"));

const sortKey: Record<StreamsListState["sort"], (r: StreamRow) => number | string> = {
  name: (r) => r.stream.name.toLowerCase(),
  messages: (r) => r.stream.state.messages,
  bytes: (r) => r.stream.state.bytes,
  ingest: (r) => r.stream.rates?.msgs_per_s ?? -1,
  fill: (r) => r.fill,
  consumers: (r) => r.stream.state.consumer_count,
  last: (r) => (r.stream.state.last_ts ? Date.parse(r.stream.state.last_ts) : 0),
};

/** Search matches the name, a subject or the description, case-insensitively. Ties sort by name. */
export function selectStreams(
  streams: readonly StreamSummary[],
  state: StreamsListState,
  now: number,
  own: readonly string[] = [],
): StreamRow[] {
  const ownSet = new Set(own);
  const q = state.q.trim().toLowerCase();
  const key = sortKey[state.sort];
  const sign = state.dir === "asc" ? 1 : -1;
  return streams
    .filter(
      (s) =>
        !q ||
        s.name.toLowerCase().includes(q) ||
        s.config.subjects.some((x) => x.toLowerCase().includes(q)) ||
        (s.config.description ?? "").toLowerCase().includes(q),
    )
    .map((s) => toStreamRow(s, now, ownSet.has(s.name)))
    .filter((r) => state.show === "all" || needsAttention(r))
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka < kb) return -sign;
      if (ka > kb) return sign;
      return a.stream.name.localeCompare(b.stream.name);
    });
}
