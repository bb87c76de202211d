import { TimelineQuerySchema } from "@/lib/failover/queries";
import { failoverTimeline } from "@/server/failover/api";
import { route } from "@/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/failover/timeline?from=ISO[&to=ISO][&key=dedup][&limit=N]`: recorded transitions and leader changes. */
export const GET = route({ query: TimelineQuerySchema }, ({ query }) => failoverTimeline(query, Date.now()));
