import { route } from "@/server/http";
import { StreamParamsSchema, streamInfo } from "@/server/streams/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The stream's full configuration and state exactly as JetStream reports them. Fetched on demand. */
export const GET = route({ params: StreamParamsSchema }, ({ params }) => streamInfo(params.name));
