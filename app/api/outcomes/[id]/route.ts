import { route } from "@/server/http";
import { OutcomeParamsSchema, outcomeDetail } from "@/server/outcomes/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One outcome for the drill-down, with where its triggering event is stored. */
export const GET = route({ params: OutcomeParamsSchema }, ({ params }) => outcomeDetail(params.id));
