import { KvHistoryQuerySchema, KvKeyParamsSchema } from "@/lib/bus/kv";
import { route } from "@/server/http";
import { kvKeyHistory } from "@/server/bus/kv-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** A key's revisions, values masked; ?rev= selects one shown whole, ?download=1 its masked bytes. */
export const GET = route({ params: KvKeyParamsSchema, query: KvHistoryQuerySchema }, ({ params, query }, { request }) =>
  kvKeyHistory(params.bucket, params.key, query.rev, query.download === "1", request.signal),
);
