import { FindingsQuerySchema } from "@/lib/findings/finding";
import { listFindings } from "@/server/findings/api";
import { route } from "@/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET `?state=open|resolved|all` (default open): open findings worst first, resolved newest first. */
export const GET = route({ query: FindingsQuerySchema }, ({ query }) => listFindings(query));
