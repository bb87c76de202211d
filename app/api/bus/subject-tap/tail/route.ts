import { route } from "@/server/http";
import { SubjectRouteQuerySchema } from "@/server/bus/subject-route";
import { subjectTailResponse } from "@/server/bus/subject-tap-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET `?subject=…`: that subject's messages as the subject tap receives them, masked, as server-sent events. */
export const GET = route({ query: SubjectRouteQuerySchema }, ({ query }, { request }) => subjectTailResponse(request, query.subject));
