/**
 * busdeck's own JetStream resources — its history, rollup and failover-timeline streams, the KV buckets of its
 * sampler lock and notes, the object store of its snapshots — and the consumers on them. They are shown when
 * asked for, but never count toward the health totals on-call reads: an alarm about busdeck's own bookkeeping
 * (say its snapshot store's ordered consumer after a Freeze) is a false alarm about the bus.
 */

export interface OwnResourceNames {
  streams: readonly string[];
  kvBuckets: readonly string[];
  objectBuckets: readonly string[];
}

/** The JetStream stream behind each of busdeck's resources (KV and object store buckets are streams too). */
export function ownStreamNames(r: OwnResourceNames): string[] {
  return [...new Set([...r.streams, ...r.kvBuckets.map((b) => `KV_${b}`), ...r.objectBuckets.map((b) => `OBJ_${b}`)])].sort();
}

export const isOwnStream = (stream: string, own: readonly string[]): boolean => own.includes(stream);

/** Whether a KV bucket (say the sampler lock's) is one of busdeck's own, given its own streams. */
export const isOwnKvBucket = (bucket: string, own: readonly string[]): boolean => own.includes(`KV_${bucket}`);

/** Rows the health totals count: everything not on one of busdeck's own streams. */
export function withoutOwn<T extends { stream: string }>(rows: readonly T[], own: readonly string[]): T[] {
  if (own.length === 0) return rows as T[];
  const set = new Set(own);
  return rows.filter((r) => !set.has(r.stream));
}

/** The streams of the bus, without busdeck's own: what counts and totals are about. */
export const busStreams = <T extends { name: string }>(streams: readonly T[], own: readonly string[]): T[] =>
  streams.filter((s) => !own.includes(s.name));

// ---- classification: what each list hides until asked (the "show internal" toggle) ----

/** A stream: busdeck's own, the backing stream of a KV bucket or object store, or the application's. */
export type StreamKind = "internal" | "kv" | "object-store" | "application";
/** A consumer: on busdeck's own streams (or one of its durables), ordered/ephemeral (no durable name), or the application's. */
export type ConsumerKind = "internal" | "ephemeral" | "application";
/** A connection: one of busdeck's (every replica's, its system-account one too), or the bus's. */
export type ConnectionKind = "internal" | "application";

const KV_PREFIX = "KV_";
const OBJECT_STORE_PREFIX = "OBJ_";

/** Names as a list or, for a pass over 10,000 rows, a set. */
type Names = readonly string[] | ReadonlySet<string>;
const hasName = (names: Names, name: string) => ("has" in names ? names.has(name) : names.includes(name));

export function classifyStream(name: string, own: Names): StreamKind {
  if (hasName(own, name)) return "internal";
  if (name.startsWith(KV_PREFIX) && name.length > KV_PREFIX.length) return "kv";
  if (name.startsWith(OBJECT_STORE_PREFIX) && name.length > OBJECT_STORE_PREFIX.length) return "object-store";
  return "application";
}

/**
 * `durable` false marks an ephemeral or ordered consumer (nats.js names those `oc_…`); a row without the flag (a
 * snapshot frozen before rows carried it) counts as durable, so nothing is hidden on a guess.
 */
export function classifyConsumer(
  c: { stream: string; name: string; config: { durable?: boolean } },
  own: Names,
  ownDurables: Names = [],
): ConsumerKind {
  if (hasName(own, c.stream) || hasName(ownDurables, c.name)) return "internal";
  return c.config.durable === false ? "ephemeral" : "application";
}

/** The name every busdeck connection starts with: `busdeck <replica id>`, its system-account one `… (system)`. */
export const OWN_CONNECTION_NAME = "busdeck";

/** The NATS connection name of one busdeck replica. */
export const ownConnectionName = (holderId: string): string => `${OWN_CONNECTION_NAME} ${holderId}`;

export function classifyConnection(name: string | null): ConnectionKind {
  return name === OWN_CONNECTION_NAME || name?.startsWith(`${OWN_CONNECTION_NAME} `) ? "internal" : "application";
}

/** What a list's row carries as its tag when shown; application rows carry none. */
export const KIND_LABEL: Record<Exclude<StreamKind | ConsumerKind | ConnectionKind, "application">, string> = {
  internal: "internal",
  ephemeral: "ephemeral",
  kv: "KV",
  "object-store": "object store",
};

/**
 * A list's rows as the toggle shows them, and how many are not the application's: the toggle's count, hidden
 * while it is off. Order is kept.
 */
export function byShowInternal<T>(
  rows: readonly T[],
  kindOf: (row: T) => string,
  showInternal: boolean,
): { rows: readonly T[]; internal: number } {
  const application = rows.filter((r) => kindOf(r) === "application");
  return { rows: showInternal ? rows : application, internal: rows.length - application.length };
}
