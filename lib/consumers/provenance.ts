/**
 * Where a consumer reading comes from and whether it can be trusted: the server that led the consumer when it was
 * taken, and consumers the JetStream list reported `missing` (their leader did not answer in time). Pure.
 */
import { consumerKey } from "./health";
import type { ConsumerBase } from "./types";

/** A reading with its provenance: the consumer's leader (cluster.leader) and sample time are on ConsumerBase. */
export type ConsumerReading = Pick<ConsumerBase, "stream" | "name" | "cluster" | "sampled_at" | "unknown_since">;

/**
 * The consumers the list left out as `missing`, each as its last good reading flagged unknown since the first
 * sample that missed it. A missing consumer without an earlier reading is left out: there is nothing to show
 * but a guess, and a guess of 0 is the one thing it must never read as.
 */
export function keepMissing<T extends ConsumerReading>(
  before: readonly T[] | undefined,
  missing: readonly string[],
  sampledAt: string,
): T[] {
  if (missing.length === 0 || !before?.length) return [];
  const names = new Set(missing);
  return before.filter((c) => names.has(c.name)).map((c) => (c.unknown_since ? c : { ...c, unknown_since: sampledAt }));
}

export interface LeaderChange {
  /** ISO time of the sample that first named the new leader. */
  at: string;
  from: string;
  to: string;
}

/** The leader change between two readings of one consumer; null when either has no leader or they agree. */
export function leaderChange(before: ConsumerReading | undefined, now: ConsumerReading): LeaderChange | null {
  const from = before?.cluster?.leader;
  const to = now.cluster?.leader;
  if (!from || !to || from === to) return null;
  return { at: now.sampled_at, from, to };
}

/** The envelope's map of unknown consumers (consumerKey → since), for rows that carry no flag of their own; undefined when none. */
export function unknownSinceByKey(consumers: readonly ConsumerReading[]): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const c of consumers) if (c.unknown_since) (out ??= {})[consumerKey(c.stream, c.name)] = c.unknown_since;
  return out;
}

/** Whole seconds from a reading's sample time to `nowMs`, never negative; null for a time that does not parse. */
export function readingAgeSeconds(sampledAt: string, nowMs: number): number | null {
  const t = Date.parse(sampledAt);
  return Number.isFinite(t) ? Math.max(0, Math.floor((nowMs - t) / 1000)) : null;
}

/** How long a consumer's last reading is kept after the samples stop listing it. */
export const REMEMBER_READING_MS = 10 * 60_000;

/**
 * The last reading of every consumer seen lately, by stream. While a node goes down, nats-server 2.9 can answer
 * one list leaving a consumer out without naming it missing (or leave its stream out of the stream list); the next
 * reply that names it missing must still find its last reading, or the consumer vanishes instead of reading unknown.
 */
export class LastReadings<T extends ConsumerReading> {
  private readonly byStream = new Map<string, Map<string, { reading: T; at: number }>>();

  remember(readings: Iterable<T>, atMs: number): void {
    for (const reading of readings) {
      let stream = this.byStream.get(reading.stream);
      if (!stream) this.byStream.set(reading.stream, (stream = new Map()));
      // updated in place: a new record per consumer per sample would live an interval and be promoted
      const kept = stream.get(reading.name);
      if (kept) {
        kept.reading = reading;
        kept.at = atMs;
      } else stream.set(reading.name, { reading, at: atMs });
    }
  }

  /** The stream's remembered readings, newest of each consumer. */
  of(stream: string): T[] {
    return [...(this.byStream.get(stream)?.values() ?? [])].map((r) => r.reading);
  }

  /** Drops readings last remembered before `beforeMs`. */
  forget(beforeMs: number): void {
    for (const [name, stream] of this.byStream) {
      // forEach rather than for-of over entries: no [key, value] pair per consumer per sample
      stream.forEach((r, consumer) => {
        if (r.at < beforeMs) stream.delete(consumer);
      });
      if (stream.size === 0) this.byStream.delete(name);
    }
  }
}
