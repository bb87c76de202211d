import { NewSilenceSchema } from "@/lib/alerts/silences";
import { addSilence } from "@/server/alerts/api";
import { created, route } from "@/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST (operator): `{matcher: {kind: "finding", finding_id} | {kind: "rule", rule}, minutes, reason}` — mute alerts. */
export const POST = route({ body: NewSilenceSchema, role: "operator", action: "silence.add" }, async ({ body }, { identity }) =>
  created(await addSilence(body, identity.user)),
);
