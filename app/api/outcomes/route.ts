import { OutcomeQuerySchema, parseOutcomeFilter } from "@/lib/outcomes/filter";
import { badRequest, describeIssues, unavailable } from "@/server/http";
import { queryOutcomes } from "@/server/outcomes/query";
import { outcomeSource } from "@/server/outcomes/source";
import { admitScan } from "@/server/scan-admission";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Outcomes matching the view's filter over a time range (default: the last hour), newest first. */
export async function GET(request: Request) {
  const params = new URL(request.url).searchParams;
  const filter = parseOutcomeFilter(params);
  if (!filter.success) return badRequest(describeIssues(filter.error));
  const query = OutcomeQuerySchema.safeParse({ limit: params.get("limit") ?? undefined, timeline: params.get("timeline") ?? undefined });
  if (!query.success) return badRequest(describeIssues(query.error));
  const scan = await admitScan(request);
  if (!scan.ok) return scan.response;
  try {
    let src;
    try {
      src = await outcomeSource();
    } catch (err) {
      return unavailable(`NATS unavailable: ${(err as Error).message}`);
    }
    return Response.json(await queryOutcomes(src, filter.data, query.data.limit, Date.now(), { timeline: query.data.timeline }));
  } finally {
    scan.release();
  }
}
