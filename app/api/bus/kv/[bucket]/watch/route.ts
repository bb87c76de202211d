import { KvBucketParamsSchema, KvKeysQuerySchema } from "@/lib/bus/kv";
import { route } from "@/server/http";
import { kvWatchResponse } from "@/server/bus/kv-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** New revisions of a bucket's keys (?prefix=) as server-sent events; takes a live slot like /api/events. */
export const GET = route({ params: KvBucketParamsSchema, query: KvKeysQuerySchema }, ({ params, query }, { request }) =>
  kvWatchResponse(request, params.bucket, query.prefix),
);
