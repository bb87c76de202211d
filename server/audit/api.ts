/** The audit route's service: records in the asked range joined into rows, newest first. Read-only by design. */
import "server-only";
import { auditRows, type AuditQuery, type AuditRow } from "../../lib/audit/records";
import { unavailableOnFailure } from "../errors";
import { getRuntime } from "../runtime";

/** Without a range: the last 24 hours. */
const DEFAULT_WINDOW_MS = 24 * 3_600_000;

export async function listAudit(query: AuditQuery, now = Date.now()): Promise<{ rows: AuditRow[]; complete: boolean }> {
  const to = query.to ? Date.parse(query.to) : now;
  const from = query.from ? Date.parse(query.from) : to - DEFAULT_WINDOW_MS;
  const { records, complete } = await unavailableOnFailure("audit trail unavailable", async () =>
    (await (await getRuntime()).audit()).read(from, to),
  );
  return { rows: auditRows(records, query), complete };
}
