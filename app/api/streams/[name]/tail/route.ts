import { TailQuerySchema } from "@/lib/streams/queries";
import { route } from "@/server/http";
import { StreamParamsSchema, tailResponse } from "@/server/streams/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * New messages of a stream (?subject= filter, ?from_seq= to resume) as server-sent events. Takes a live slot
 * like /api/events; a client that stops reading is dropped and the tail's consumer deleted.
 */
export const GET = route({ params: StreamParamsSchema, query: TailQuerySchema }, ({ params, query }, { request }) =>
  tailResponse(request, params.name, query),
);
