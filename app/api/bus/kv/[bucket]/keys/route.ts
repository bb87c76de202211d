import { KvBucketParamsSchema, KvKeysQuerySchema } from "@/lib/bus/kv";
import { route } from "@/server/http";
import { kvKeys } from "@/server/bus/kv-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** A bucket's keys, ?prefix= filtered, capped (lib/bus/kv.ts MAX_KV_KEYS). */
export const GET = route({ params: KvBucketParamsSchema, query: KvKeysQuerySchema }, ({ params, query }, { request }) =>
  kvKeys(params.bucket, query.prefix, request.signal),
);
