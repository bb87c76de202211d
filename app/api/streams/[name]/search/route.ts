import { SearchQuerySchema } from "@/lib/streams/queries";
import { route } from "@/server/http";
import { searchResponse, StreamParamsSchema } from "@/server/streams/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Payload search as server-sent events: `progress`, `match`, then one `done` (or `error`). Closing the
 * EventSource cancels the scan and deletes its consumer. Takes a live slot (as /api/events) and a scan slot.
 */
export const GET = route({ params: StreamParamsSchema, query: SearchQuerySchema }, ({ params, query }, { request }) =>
  searchResponse(request, params.name, query),
);
