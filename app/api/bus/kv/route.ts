import { route } from "@/server/http";
import { kvOverview } from "@/server/bus/kv-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Every KV bucket and object store with its size, limits and replicas. */
export const GET = route({}, () => kvOverview());
