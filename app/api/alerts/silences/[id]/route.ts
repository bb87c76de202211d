import { SilenceParamsSchema } from "@/lib/alerts/silences";
import { expireSilence } from "@/server/alerts/api";
import { route } from "@/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** DELETE (operator): end a silence now, on every replica; the ended silence stays listed for a day. */
export const DELETE = route({ params: SilenceParamsSchema, role: "operator", action: "silence.expire" }, async ({ params }) =>
  expireSilence(params.id),
);
