import { orNotFound } from "@/server/errors";
import { ConsumerParamsSchema } from "@/server/history/api";
import { route } from "@/server/http";
import { getRuntime } from "@/server/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One consumer in full (config, sequences, diagnoses, dead letters) from the latest sample: the detail page. */
export const GET = route({ params: ConsumerParamsSchema }, async ({ params: { stream, name } }) =>
  orNotFound(
    (await getRuntime()).consumerTracker.latestFor(stream, name),
    `no consumer "${name}" on stream "${stream}" in the latest sample`,
  ),
);
