import { AuditQuerySchema } from "@/lib/audit/records";
import { listAudit } from "@/server/audit/api";
import { route } from "@/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET: the audit trail's rows in [from, to) (default the last 24 h), newest first, filtered by user and action. No writes. */
export const GET = route({ query: AuditQuerySchema }, ({ query }) => listAudit(query));
