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
