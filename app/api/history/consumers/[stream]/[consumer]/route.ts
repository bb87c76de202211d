import { withHistory } from "@/server/history/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One consumer's persisted points (lag, rates, status; one per history step) with sample time in [from, to). */
export async function GET(request: Request, ctx: { params: Promise<{ stream: string; consumer: string }> }) {
  return withHistory(request, await ctx.params, (store, n, from, to) => store.readConsumer(n.stream!, n.consumer!, from, to));
}
