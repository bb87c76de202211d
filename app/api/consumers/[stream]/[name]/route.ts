import { decodeParams, notFound } from "@/server/http";
import { getRuntime } from "@/server/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One consumer in full (config, sequences, diagnoses, dead letters) from the latest sample: the detail page. */
export async function GET(_request: Request, ctx: { params: Promise<{ stream: string; name: string }> }) {
  const params = decodeParams(await ctx.params);
  if (!params.ok) return params.response;
  const { stream, name } = params.value;
  const consumer = (await getRuntime()).consumerTracker.latestFor(stream, name);
  if (!consumer) return notFound(`no consumer "${name}" on stream "${stream}" in the latest sample`);
  return Response.json(consumer);
}
