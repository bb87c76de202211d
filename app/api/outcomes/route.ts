import { route } from "@/server/http";
import { listOutcomes, OutcomeListQuerySchema } from "@/server/outcomes/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Outcomes matching the view's filter over a time range (default: the last hour), newest first. */
export const GET = route({ query: OutcomeListQuerySchema }, ({ query }, { request }) => listOutcomes(request, query, Date.now()));
