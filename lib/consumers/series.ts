/** The per-consumer time series behind the detail charts: points, ranges and downsampling. Pure. */
import { z } from "zod";
import type { HealthStatus } from "./health";
import type { LeaderChange } from "./provenance";
import { CONSUMER_DETAIL_DEFAULT_WINDOW } from "../time/range";

export interface SeriesPoint {
  /** ms since the epoch */
  t: number;
  lag_msgs: number;
  lag_seconds: number | null;
  consume_per_s: number | null;
  ingest_per_s: number | null;
}

export interface StatusChange {
  at: string;
  status: HealthStatus;
  rule: string;
  evidence: string;
}

export interface DeadLetterEntry {
  at: string;
  kind: "max_deliveries" | "naked" | "terminated";
  stream_seq: number | null;
  deliveries: number | null;
}

/** GET /api/consumers/<stream>/<name>/history */
export interface ConsumerHistoryResponse {
  range: HistoryRange;
  points: SeriesPoint[];
  status_history: StatusChange[];
  /** Changes of the server leading the consumer, newest first; absent from persisted history. */
  leader_changes?: LeaderChange[];
  dead_letters: DeadLetterEntry[];
}

export const HISTORY_RANGES = {
  "5m": 5 * 60_000,
  "15m": 15 * 60_000,
  "1h": 60 * 60_000,
  "6h": 6 * 60 * 60_000,
  "24h": 24 * 60 * 60_000,
} as const;
export type HistoryRange = keyof typeof HISTORY_RANGES;
export const HistoryRangeSchema = z.enum(Object.keys(HISTORY_RANGES) as [HistoryRange, ...HistoryRange[]]);
export const DEFAULT_HISTORY_RANGE: HistoryRange = CONSUMER_DETAIL_DEFAULT_WINDOW;

const mean = (xs: (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};

/**
 * At most `maxPoints` points: consecutive points merged into buckets, lag taken as the bucket's max (a chart
 * must not hide a spike) and rates averaged. Input ordered by time.
 */
export function downsample(points: readonly SeriesPoint[], maxPoints: number): SeriesPoint[] {
  if (points.length <= maxPoints) return points.slice();
  const size = Math.ceil(points.length / maxPoints);
  const out: SeriesPoint[] = [];
  for (let i = 0; i < points.length; i += size) {
    const bucket = points.slice(i, i + size);
    const lagS = bucket.map((p) => p.lag_seconds).filter((x): x is number => x !== null);
    out.push({
      t: bucket[bucket.length - 1]!.t,
      lag_msgs: Math.max(...bucket.map((p) => p.lag_msgs)),
      lag_seconds: lagS.length ? Math.max(...lagS) : null,
      consume_per_s: mean(bucket.map((p) => p.consume_per_s)),
      ingest_per_s: mean(bucket.map((p) => p.ingest_per_s)),
    });
  }
  return out;
}
