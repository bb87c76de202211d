import { ConsumerParamsSchema, consumerHistory, HistoryQuerySchema } from "@/server/history/api";
import { route } from "@/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One consumer's chart series over ?range= (5m … 24h), or its persisted points over ?from=&to= (ISO times). */
export const GET = route({ params: ConsumerParamsSchema, query: HistoryQuerySchema }, ({ params, query }) =>
  consumerHistory(params.stream, params.name, query, Date.now()),
);
