import { HistoryQuerySchema, streamHistory } from "@/server/history/api";
import { route } from "@/server/http";
import { StreamParamsSchema } from "@/server/streams/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One stream's rates over ?range= (1m, 5m, 15m: the recent window), or its persisted points over ?from=&to= (ISO times). */
export const GET = route({ params: StreamParamsSchema, query: HistoryQuerySchema }, ({ params, query }) =>
  streamHistory(params.name, query, Date.now()),
);
