import { route } from "@/server/http";
import { getRuntime } from "@/server/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Prometheus exposition of busdeck's own metrics. */
export const GET = route({}, async () => {
  const { metrics } = await getRuntime();
  return new Response(await metrics.registry.metrics(), { headers: { "Content-Type": metrics.registry.contentType } });
});
