import { RedriveRequestSchema } from "@/lib/redrive/redrive";
import { route } from "@/server/http";
import { redriveMessage, RedriveParamsSchema, redriveTarget } from "@/server/redrive/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST (operator): `{n, subject?}` — republish the stored message, deduplicated by the stream on attempt n. */
export const POST = route(
  { params: RedriveParamsSchema, body: RedriveRequestSchema, role: "operator", action: "message.redrive", target: redriveTarget },
  ({ params, body }, { identity }) => redriveMessage(params.name, params.seq, body, identity.user),
);
