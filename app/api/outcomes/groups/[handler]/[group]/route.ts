import { route } from "@/server/http";
import { errorGroupDetail, ErrorGroupParamsSchema, OutcomeListQuerySchema } from "@/server/outcomes/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One error group of one handler over a time range (default: the last hour): counts, targets, newest outcomes. */
export const GET = route({ params: ErrorGroupParamsSchema, query: OutcomeListQuerySchema }, ({ params, query }, { request }) =>
  errorGroupDetail(request, params, query, Date.now()),
);
