import { route } from "@/server/http";
import { topicValue } from "@/server/topic-state";
import { z } from "zod";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The hub's current value for a topic: what a page needs before the SSE stream delivers it. */
export const GET = route({ params: z.object({ topic: z.string() }) }, ({ params }) => topicValue(params.topic));
