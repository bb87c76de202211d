import { BrowseQuerySchema } from "@/lib/streams/queries";
import { route } from "@/server/http";
import { browseStream, StreamParamsSchema } from "@/server/streams/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One page of a stream: ?seq= | ?start_time=, &subject=, &dir=forward|backward, &size=. */
export const GET = route({ params: StreamParamsSchema, query: BrowseQuerySchema }, ({ params, query }, { request }) =>
  browseStream(params.name, query, request.signal),
);
