import { route } from "@/server/http";
import { SubjectRouteQuerySchema, subjectRoute } from "@/server/bus/subject-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET `?subject=…`: the streams, consumers and core subscribers a subject reaches, answered on request. */
export const GET = route({ query: SubjectRouteQuerySchema }, ({ query }) => subjectRoute(query.subject));
