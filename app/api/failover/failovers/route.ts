import { FailoverCountQuerySchema } from "@/lib/failover/queries";
import { summarizeFailovers } from "@/lib/failover/lock-transitions";
import { badRequest, describeIssues } from "@/server/http";
import { getRuntime } from "@/server/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * `GET /api/failover/failovers?from=ISO[&to=ISO]`: failover count per singleton over the range (the bus-derived
 * twin of augur_failover_total) and the gap each one took.
 */
export async function GET(request: Request) {
  const q = FailoverCountQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!q.success) return badRequest(describeIssues(q.error));
  const { failover } = await getRuntime();
  const from = Date.parse(q.data.from);
  const to = q.data.to ? Date.parse(q.data.to) : Date.now();
  if (to <= from) return badRequest("to: must be after from");
  const { entries, truncated } = failover.store.query({ from, to, limit: 100_000 });
  const transitions = entries.flatMap((e) => (e.source === "lock" ? [e.transition] : []));
  return Response.json({
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    singletons: summarizeFailovers(transitions),
    truncated,
  });
}
