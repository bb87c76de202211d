import { LastEventIdSchema, TopicsParamSchema } from "@/lib/wire/sse-params";
import { parseInput, route } from "@/server/http";
import { liveEventsResponse } from "@/server/sse";
import { z } from "zod";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The live stream of hub topics (?topics=a,b; all by default), resumed after the Last-Event-ID header. */
export const GET = route({ query: z.object({ topics: TopicsParamSchema }) }, ({ query }, { request }) =>
  liveEventsResponse(
    request,
    query.topics,
    parseInput(LastEventIdSchema, request.headers.get("last-event-id") ?? undefined, "Last-Event-ID"),
  ),
);
