import { FailoverCountQuerySchema } from "@/lib/failover/queries";
import { failoverCounts } from "@/server/failover/api";
import { route } from "@/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/failover/failovers?from=ISO[&to=ISO]`: failover count per singleton over the range and the gap each one took. */
export const GET = route({ query: FailoverCountQuerySchema }, ({ query }) => failoverCounts(query, Date.now()));
