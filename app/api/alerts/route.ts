import { alertsState } from "@/server/alerts/api";
import { route } from "@/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET: the alert targets, the delivery log (newest first) and the silences. */
export const GET = route({}, () => alertsState());
