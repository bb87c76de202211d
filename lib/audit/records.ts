/**
 * The audit trail's records (busdeck's own stream BUSDECK_AUDIT): every operator action is written twice, an
 * "attempt" before it runs and a "result" after, sharing one id. Rows join the two, newest first.
 */
import { z } from "zod";

export const AUDIT_ACTIONS = [
  "snapshot.create",
  "snapshot.delete",
  "note.add",
  "note.delete",
  "message.redrive",
  "silence.add",
  "silence.expire",
  "dead_letters.redrive",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AuditRecordSchema = z.object({
  id: z.string().min(1),
  phase: z.enum(["attempt", "result"]),
  at: z.string(),
  user: z.string(),
  role: z.string(),
  replica: z.string(),
  action: z.string(),
  target: z.string(),
  /** The HTTP status the action answered with; on "result" records only. */
  status: z.number().int().optional(),
  reason: z.string().optional(),
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

/** One action as listed: its attempt, and its result when one was written. */
export interface AuditRow {
  id: string;
  at: string;
  user: string;
  role: string;
  replica: string;
  action: string;
  target: string;
  /** "ok" (2xx), "refused" (any other status), or "unknown" when no result record exists (still running, or the replica died). */
  result: "ok" | "refused" | "unknown";
  status: number | null;
  reason: string | null;
}

export const AuditQuerySchema = z.object({
  user: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

const resultOf = (status: number | undefined): AuditRow["result"] =>
  status === undefined ? "unknown" : status >= 200 && status < 300 ? "ok" : "refused";

/** Attempts joined with their results, filtered by user and action, newest first. */
export function auditRows(records: readonly AuditRecord[], filter: Pick<AuditQuery, "user" | "action"> = {}): AuditRow[] {
  const results = new Map(records.filter((r) => r.phase === "result").map((r) => [r.id, r]));
  return records
    .filter((r) => r.phase === "attempt")
    .filter((r) => (!filter.user || r.user === filter.user) && (!filter.action || r.action === filter.action))
    .map((a) => {
      const done = results.get(a.id);
      return {
        id: a.id,
        at: a.at,
        user: a.user,
        role: a.role,
        replica: a.replica,
        action: a.action,
        target: done?.target || a.target,
        result: resultOf(done?.status),
        status: done?.status ?? null,
        reason: done?.reason ?? null,
      };
    })
    .sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : 0));
}
