/** Search, filter and sort of the streams list (pure; the state comes from the URL). */
import { classifyStream, type StreamKind } from "../own-resources";
import type { StreamsListState } from "./queries";
import { fillLevels, limitWarning, replicaHealth, type StreamSummary } from "./types";

export interface StreamRow {
  stream: StreamSummary;
  warning: ReturnType<typeof limitWarning>;
  health: ReturnType<typeof replicaHealth>;
  /** Highest size-limit fill ratio (0 when no size limit): the "fill" sort key. */
  fill: number;
  /** One of busdeck's own streams (lib/own-resources.ts): listed on request, never counted as needing attention. */
  own: boolean;
  /** busdeck's own, a KV or object store's backing stream, or the application's (lib/own-resources.ts classifyStream). */
  kind: StreamKind;
}

export function toStreamRow(s: StreamSummary, now: number, kind: StreamKind = "application"): StreamRow {
  const levels = fillLevels(s, now);
  return {
    stream: s,
    own: kind === "internal",
    kind,
    warning: limitWarning(levels),
    health: replicaHealth(s.cluster, s.config.replicas),
    fill: Math.max(0, ...levels.filter((l) => l.limit !== "age").map((l) => l.ratio)),
  };
}

/** A limit about to be hit or a replica unhealthy, on a stream of the bus (busdeck's own never raise an alarm). */
export const needsAttention = (r: StreamRow) => !r.own && (r.warning !== null || (r.health !== null && r.health.tone !== "ok"));

/**
 * Listed while "show internal" is off: the application's streams, and a KV or object store stream that needs
 * attention (an alarm is never hidden behind the toggle).
 */
export const listedByDefault = (r: StreamRow) => r.kind === "application" || needsAttention(r);

/** The streams "show internal" adds to the list: busdeck's own and the KV/object-store backing streams that are fine. */
export function internalStreamCount(streams: readonly StreamSummary[], now: number, own: readonly string[] = []): number {
  const ownSet = new Set(own);
  return streams.filter((s) => !listedByDefault(toStreamRow(s, now, classifyStream(s.name, ownSet)))).length;
}

const sortKey: Record<StreamsListState["sort"], (r: StreamRow) => number | string> = {
  name: (r) => r.stream.name.toLowerCase(),
  messages: (r) => r.stream.state.messages,
  bytes: (r) => r.stream.state.bytes,
  ingest: (r) => r.stream.rates?.msgs_per_s ?? -1,
  fill: (r) => r.fill,
  consumers: (r) => r.stream.state.consumer_count,
  last: (r) => (r.stream.state.last_ts ? Date.parse(r.stream.state.last_ts) : 0),
};

/** Search matches the name, a subject or the description, case-insensitively; internal rows only with `own`. Ties sort by name. */
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
    .map((s) => toStreamRow(s, now, classifyStream(s.name, ownSet)))
    .filter((r) => (state.own || listedByDefault(r)) && (state.show === "all" || needsAttention(r)))
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka < kb) return -sign;
      if (ka > kb) return sign;
      return a.stream.name.localeCompare(b.stream.name);
    });
}
