/**
 * Redrive: republishing a stored message so its consumers get it again. Each redrive carries a message id the
 * stream deduplicates on (a double click, a retry or a second replica within the duplicate window stores it
 * once) and a header naming the message it copies.
 */
import { z } from "zod";
import { MAX_SUBJECT_LENGTH } from "../streams/queries";
import { lagMessages, type ConsumerRow } from "../consumers/types";
import { anyFilterMatches, literalSubjectProblem } from "./subjects";

export const MSG_ID_HEADER = "Nats-Msg-Id";
export const REDRIVE_OF_HEADER = "Busdeck-Redrive-Of";
/** Attempts per message: enough for any deliberate retry, small enough to read in an id. */
export const MAX_REDRIVE_ATTEMPT = 1000;

/**
 * Headers of the stored message that must not travel with the copy: its own dedup id (replaced), publish
 * expectations that held for the original write only, and a rollup that would purge the subject again.
 */
const DROPPED_HEADER = /^(nats-msg-id|nats-expected-.*|nats-rollup)$/i;

/** `<stream>:<seq>`: the stored message a redrive copies. */
export const redriveOf = (stream: string, seq: number): string => `${stream}:${seq}`;

/** `<stream>:<seq>:redrive:<n>`: the same n twice is one message in the stream's duplicate window. */
export const redriveMsgId = (stream: string, seq: number, n: number): string => `${redriveOf(stream, seq)}:redrive:${n}`;

/** The copy's headers: the original's, minus DROPPED_HEADER, plus the dedup id and the redrive-of header. */
export function redriveHeaders(
  original: Record<string, string[]> | null,
  copy: { stream: string; seq: number; n: number },
): Record<string, string[]> {
  const kept = Object.entries(original ?? {}).filter(([name]) => !DROPPED_HEADER.test(name) && name !== REDRIVE_OF_HEADER);
  return {
    ...Object.fromEntries(kept),
    [MSG_ID_HEADER]: [redriveMsgId(copy.stream, copy.seq, copy.n)],
    [REDRIVE_OF_HEADER]: [redriveOf(copy.stream, copy.seq)],
  };
}

const literalSubject = z
  .string()
  .max(MAX_SUBJECT_LENGTH)
  .superRefine((s, ctx) => {
    const problem = literalSubjectProblem(s);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** POST body of a redrive: which attempt (the dedup id's n) and, optionally, another subject the stream captures. */
export const RedriveRequestSchema = z.object({
  n: z.number().int().min(1).max(MAX_REDRIVE_ATTEMPT),
  subject: literalSubject.optional(),
});
export type RedriveRequest = z.infer<typeof RedriveRequestSchema>;

/** What a redrive did: the copy's sequence, and whether the stream had it already (a duplicate within its window). */
export const RedriveResultSchema = z.object({
  stream: z.string(),
  seq: z.number(),
  subject: z.string(),
  msg_id: z.string(),
  published_seq: z.number(),
  duplicate: z.boolean(),
  size: z.number(),
});
export type RedriveResult = z.infer<typeof RedriveResultSchema>;

/** Why `subject` cannot be a redrive target for a stream capturing `streamSubjects`, or null when it can. */
export function redriveSubjectProblem(subject: string, streamSubjects: readonly string[]): string | null {
  const problem = literalSubjectProblem(subject);
  if (problem) return `subject "${subject}" ${problem}`;
  if (streamSubjects.length === 0 || !anyFilterMatches(streamSubjects, subject)) {
    return `subject "${subject}" is not one the stream captures (${streamSubjects.join(", ") || "no subjects"})`;
  }
  return null;
}

type ReceiverRow = Pick<ConsumerRow, "stream" | "name" | "num_pending" | "num_ack_pending" | "config" | "insight">;

/** The stream's consumers whose filter matches `subject` (no filter matches all), most behind first. */
export function receivingConsumers<R extends ReceiverRow>(stream: string, subject: string, rows: readonly R[]): R[] {
  return rows
    .filter((c) => c.stream === stream && anyFilterMatches(c.config.filter_subjects, subject))
    .sort((a, b) => lagMessages(b) - lagMessages(a) || a.name.localeCompare(b.name));
}
