/**
 * The one gate every operator write passes, called by route() (server/http.ts): refused in read-only mode, and
 * recorded in the audit trail before and after it runs.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import type { AuditAction, AuditRecord } from "../../lib/audit/records";
import type { Identity } from "../auth/identity";
import { ForbiddenError, UnavailableError } from "../errors";
import type { Logger } from "../log";
import { getRuntime } from "../runtime";

export const READ_ONLY_REASON = "busdeck runs read-only (BUSDECK_READ_ONLY): it refuses every write";

/** A ForbiddenError when this deployment is read-only, whatever the caller's role. */
export async function refuseWhenReadOnly(): Promise<void> {
  if ((await getRuntime()).config.readOnly) throw new ForbiddenError(READ_ONLY_REASON);
}

export interface OperatorWrite {
  action: AuditAction;
  identity: Identity;
  /** What the action is about (a snapshot or note id); empty until a create names it. */
  target: string;
}

/**
 * Runs `run` between an "attempt" record and a "result" record. The attempt is stored before the action runs,
 * so an action without a record cannot happen; a result that fails to store is logged and the attempt stands.
 */
export async function auditedWrite(write: OperatorWrite, run: () => Promise<Response>, log: Logger): Promise<Response> {
  const runtime = await getRuntime();
  const base = {
    id: randomUUID(),
    user: write.identity.user,
    role: write.identity.role,
    replica: runtime.replicaId,
    action: write.action,
    target: write.target,
  };
  const attempt: AuditRecord = { ...base, phase: "attempt", at: new Date().toISOString() };
  try {
    await (await runtime.audit()).append(attempt);
  } catch (err) {
    throw new UnavailableError(`audit trail unavailable, so the action was not run: ${(err as Error).message}`, { cause: err });
  }
  const response = await run();
  const result: AuditRecord = {
    ...base,
    phase: "result",
    at: new Date().toISOString(),
    target: write.target || (await createdId(response)),
    status: response.status,
    ...(response.ok ? {} : { reason: await reasonOf(response) }),
  };
  await (await runtime.audit()).append(result).catch((err) => log.warn({ err, audit_id: base.id }, "audit result not stored"));
  return response;
}

/** The id of what a 201 created, read from a copy of its body. */
async function createdId(response: Response): Promise<string> {
  if (response.status !== 201) return "";
  const body = (await response
    .clone()
    .json()
    .catch(() => ({}))) as { id?: unknown };
  return typeof body.id === "string" ? body.id : "";
}

async function reasonOf(response: Response): Promise<string> {
  const body = (await response
    .clone()
    .json()
    .catch(() => ({}))) as { reason?: unknown };
  return typeof body.reason === "string" ? body.reason : "";
}
