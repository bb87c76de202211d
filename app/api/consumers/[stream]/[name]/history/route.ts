import { HistoryRangeSchema } from "@/lib/consumers/series";
import { badRequest, decodeParams, describeIssues, notFound } from "@/server/http";
import { getRuntime } from "@/server/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One consumer's chart series, status changes and dead letters over ?range= (5m, 15m, 1h, 6h, 24h). */
export async function GET(request: Request, ctx: { params: Promise<{ stream: string; name: string }> }) {
  const params = decodeParams(await ctx.params);
  if (!params.ok) return params.response;
  const { stream, name } = params.value;
  const range = HistoryRangeSchema.safeParse(new URL(request.url).searchParams.get("range") ?? "15m");
  if (!range.success) return badRequest(describeIssues(range.error, "range"));
  const history = (await getRuntime()).consumerTracker.history(stream, name, range.data, Date.now());
  if (!history) return notFound(`no consumer "${name}" on stream "${stream}" in the latest sample`);
  return Response.json(history);
}
