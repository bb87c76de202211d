/** One handler over a range, as its page shows it: the wire type of /api/outcomes/handlers/<handler>. */
import { z } from "zod";
import type { LatencyChart } from "./latency-chart";
import type { ErrorGroup, HandlerSummary, OutcomeBucket, OutcomeRecord } from "./outcome";

/** A handler id as outcomes name it: the last part of their subject, so no wildcard and no whitespace. */
export const HandlerIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\s*>]+$/, "a handler id (no whitespace, * or >)");

export interface HandlerDetail {
  handler_id: string;
  range: { from: string; to: string };
  source: "stream" | "live";
  /** The handler's row of the range summary (counts, p50/p95/p99, flags); null when it has no outcome in the range. */
  summary: HandlerSummary | null;
  /** False when a raw part of the range was larger than one scan and only its newest part was counted. */
  complete: boolean;
  /** Its error groups in the range, still firing first. */
  groups: ErrorGroup[];
  /** p50/p95/p99 per bucket over the whole range (lib/outcomes/latency-chart.ts). */
  latency: LatencyChart;
  /** Its outcomes per severity/kind over the range. */
  timeline: OutcomeBucket[];
  /** Its newest outcomes in the range, bounded for a list. */
  records: OutcomeRecord[];
  /** Its outcomes in the scanned part of the range; `truncated` when the range was larger than one scan. */
  matched: number;
  truncated: boolean;
}

/** "4.2%": errored among the handler's valid outcomes of the range; "—" when it had none. */
export function erroredShare(s: Pick<HandlerSummary, "total" | "errored" | "malformed">): number | null {
  const valid = s.total - s.malformed;
  return valid > 0 ? s.errored / valid : null;
}
