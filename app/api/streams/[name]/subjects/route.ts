import { route } from "@/server/http";
import { StreamParamsSchema, streamSubjects } from "@/server/streams/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Message count per subject (largest first), from the stream info subjects filter. */
export const GET = route({ params: StreamParamsSchema }, ({ params }) => streamSubjects(params.name));
