/**
 * Bulk redrive: the dead letters of one consumer in a sequence range, republished one by one at a steady pace.
 * The response is one JSON line per event, so the caller sees progress, can cancel by closing it, and learns
 * exactly which messages went out.
 */
import { z } from "zod";
import type { DeadLetterEntry } from "../consumers/series";
import { MAX_REDRIVE_ATTEMPT, RedriveResultSchema } from "./redrive";

/** At most this many messages in one bulk redrive. */
export const MAX_BULK_MESSAGES = 1_000;
export const DEFAULT_BULK_PER_SECOND = 10;

export const BulkRedriveRequestSchema = z
  .object({
    from_seq: z.number().int().min(1),
    to_seq: z.number().int().min(1),
    n: z.number().int().min(1).max(MAX_REDRIVE_ATTEMPT),
    per_second: z.number().int().min(1).max(100).default(DEFAULT_BULK_PER_SECOND),
  })
  .refine((r) => r.from_seq <= r.to_seq, { message: "from_seq must not be after to_seq", path: ["from_seq"] });
export type BulkRedriveRequest = z.output<typeof BulkRedriveRequestSchema>;

/** One line of a bulk redrive's response. */
export const BulkRedriveEventSchema = z.union([
  z.object({ kind: z.literal("planned"), seqs: z.array(z.number()) }),
  z.object({ kind: z.literal("message"), seq: z.number(), ok: z.literal(true), result: RedriveResultSchema }),
  z.object({ kind: z.literal("message"), seq: z.number(), ok: z.literal(false), reason: z.string() }),
  z.object({ kind: z.literal("done"), sent: z.number(), duplicates: z.number(), failed: z.number(), cancelled: z.boolean() }),
]);
export type BulkRedriveEvent = z.infer<typeof BulkRedriveEventSchema>;

/** The messages a consumer gave up on (max deliver reached, or terminated) within [from, to], each once, in order. */
export function deadLetterSeqs(entries: readonly DeadLetterEntry[], from: number, to: number): number[] {
  const seqs = new Set<number>();
  for (const e of entries) {
    if (e.kind === "naked" || e.stream_seq === null) continue;
    if (e.stream_seq >= from && e.stream_seq <= to) seqs.add(e.stream_seq);
  }
  return [...seqs].sort((a, b) => a - b).slice(0, MAX_BULK_MESSAGES);
}

/** The closing line: how many went out, how many the stream already held, how many failed. */
export function bulkSummary(events: readonly BulkRedriveEvent[], cancelled: boolean): BulkRedriveEvent {
  const messages = events.filter((e) => e.kind === "message");
  return {
    kind: "done",
    sent: messages.filter((e) => e.ok && !e.result.duplicate).length,
    duplicates: messages.filter((e) => e.ok && e.result.duplicate).length,
    failed: messages.filter((e) => !e.ok).length,
    cancelled,
  };
}
