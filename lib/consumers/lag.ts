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

/**
 * When message `seq` was stored (ms since the epoch), from a series ordered by seq. Exact when a sample's last
 * message is `seq`; otherwise linear between the two samples around it (message a.seq+1 was stored after a.ts,
 * b.seq by b.ts). `anchor` (the stream's first stored message) stands before the series: between it and the
 * series' first point, interpolate between those two. null when `seq` predates what is known or is not stored
 * yet. A number, not an object: the tracker asks this for every lagging consumer on every sample.
 */
export function interpolatePublishTime(series: readonly SeqTimePoint[], seq: number, anchor: SeqTimePoint | null = null): number | null {
  const n = series.length;
  if (anchor !== null && (n === 0 || seq < series[0]!.seq)) {
    if (seq === anchor.seq) return anchor.ts;
    return n === 0 || seq < anchor.seq ? null : between(anchor, series[0]!, seq);
  }
  if (n === 0 || seq > series[n - 1]!.seq) return null;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (series[mid]!.seq >= seq) hi = mid;
    else lo = mid + 1;
  }
  const b = series[lo]!;
  if (b.seq === seq) return b.ts;
  return lo === 0 ? null : between(series[lo - 1]!, b, seq);
}

const between = (a: SeqTimePoint, b: SeqTimePoint, seq: number) => a.ts + ((seq - a.seq) / (b.seq - a.seq)) * (b.ts - a.ts);

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
