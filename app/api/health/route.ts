import { healthResponse } from "@/server/health";
import { route } from "@/server/http";
import { z } from "zod";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Liveness plus NATS status; `?ready=1` is the readiness form (503 while NATS is not connected). */
export const GET = route({ query: z.object({ ready: z.string().optional() }) }, ({ query }, { identity }) =>
  healthResponse(identity, query.ready === "1"),
);
