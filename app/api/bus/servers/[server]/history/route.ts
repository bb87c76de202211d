import { HistoryQuerySchema, ServerParamsSchema, serverHistory } from "@/server/history/api";
import { route } from "@/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One bus server's figures over ?range= (1m, 5m, 15m: the recent window), or its persisted points over ?from=&to= (ISO times). */
export const GET = route({ params: ServerParamsSchema, query: HistoryQuerySchema }, ({ params, query }) =>
  serverHistory(params.server, query, Date.now()),
);
