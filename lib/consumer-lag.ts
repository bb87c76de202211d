/**
 * Lag in seconds without a request per consumer: each stream sample gives (last_seq, last_ts); keep a short
 * series of them per stream and interpolate when the stream passed a given sequence. Accurate to the sample
 * interval; the exact stored message can refine it where it matters. Pure.
 */

/** The stream's newest sequence and the time it was stored, ms since the epoch. */
export interface SeqTimePoint {
  seq: number;
  ts: number;
}

export type PublishTime = { ts: number; exact: boolean };

/**
 * When message `seq` was stored, from a series ordered by seq. Exact when a sample's last message is `seq`;
 * otherwise linear between the two samples around it (message a.seq+1 was stored after a.ts, b.seq by b.ts).
 * null when `seq` predates the series or is not stored yet.
 */
export function interpolatePublishTime(series: readonly SeqTimePoint[], seq: number): PublishTime | null {
  const n = series.length;
  if (n === 0 || seq > series[n - 1]!.seq) return null;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (series[mid]!.seq >= seq) hi = mid;
    else lo = mid + 1;
  }
  const b = series[lo]!;
  if (b.seq === seq) return { ts: b.ts, exact: true };
  if (lo === 0) return null;
  const a = series[lo - 1]!;
  const frac = (seq - a.seq) / (b.seq - a.seq);
  return { ts: a.ts + frac * (b.ts - a.ts), exact: false };
}

/** Appends a stream sample, keeping the series ordered and bounded; a smaller last_seq means the stream was recreated. */
export function appendSeqTime(series: SeqTimePoint[], point: SeqTimePoint, capacity: number): SeqTimePoint[] {
  const last = series[series.length - 1];
  if (last && point.seq < last.seq) return [point];
  if (last && point.seq === last.seq) return series; // nothing new stored; the first sighting keeps the tighter time
  series.push(point);
  if (series.length > capacity) series.splice(0, series.length - capacity);
  return series;
}

/** Age in seconds of a message stored at `ts`, never negative (clocks of busdeck and the server may differ slightly). */
export const ageSeconds = (ts: number, now: number) => Math.max(0, (now - ts) / 1000);
