import { KvBucketParamsSchema } from "@/lib/bus/kv";
import { route } from "@/server/http";
import { objectStoreObjects } from "@/server/bus/kv-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** An object store's objects (name, size, chunks, modified), capped (lib/bus/kv.ts MAX_OBJECTS). */
export const GET = route({ params: KvBucketParamsSchema }, ({ params }, { request }) => objectStoreObjects(params.bucket, request.signal));
