import { TimelineQuerySchema } from "@/lib/failover/queries";
import { badRequest, describeIssues } from "@/server/http";
import { getRuntime } from "@/server/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/failover/timeline?from=ISO[&to=ISO][&key=dedup][&limit=N]`: recorded transitions and leader changes. */
export async function GET(request: Request) {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const q = TimelineQuerySchema.safeParse(params);
  if (!q.success) return badRequest(describeIssues(q.error));
  const { failover } = await getRuntime();
  const to = q.data.to ? Date.parse(q.data.to) : Date.now();
  const { entries, truncated } = failover.store.query({ from: Date.parse(q.data.from), to, key: q.data.key, limit: q.data.limit });
  return Response.json({ from: q.data.from, to: new Date(to).toISOString(), entries, truncated, oldest: failover.store.oldest() });
}
