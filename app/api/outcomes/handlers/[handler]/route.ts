import { route } from "@/server/http";
import { handlerDetail, HandlerParamsSchema, OutcomeListQuerySchema } from "@/server/outcomes/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One handler over a time range (default: the last hour): counts, flags, latency per bucket, groups, newest outcomes. */
export const GET = route({ params: HandlerParamsSchema, query: OutcomeListQuerySchema }, ({ params, query }, { request }) =>
  handlerDetail(request, params.handler, query, Date.now()),
);
