import { BulkRedriveRequestSchema } from "@/lib/redrive/bulk";
import { route } from "@/server/http";
import { bulkRedriveResponse, ConsumerRedriveParamsSchema, consumerRedriveTarget } from "@/server/redrive/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST (operator): `{from_seq, to_seq, n, per_second?}` — redrive the consumer's dead letters in the range, one JSON
 * line per message as it goes out; closing the response cancels the rest.
 */
export const POST = route(
  {
    params: ConsumerRedriveParamsSchema,
    body: BulkRedriveRequestSchema,
    role: "operator",
    action: "dead_letters.redrive",
    target: consumerRedriveTarget,
  },
  ({ params, body }, { request, identity }) => bulkRedriveResponse(request, params.stream, params.name, body, identity.user),
);
