import { withHistory } from "@/server/history/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One stream's persisted rate points (one per history step) with sample time in [from, to). */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  return withHistory(request, await ctx.params, (store, n, from, to) => store.readStream(n.name!, from, to));
}
