import { LastEventIdSchema, TopicsParamSchema } from "@/lib/wire/sse-params";
import { badRequest, describeIssues } from "@/server/http";
import { getRuntime } from "@/server/runtime";
import { admitLiveStream } from "@/server/scan-admission";
import { SSE_HEADERS, createSseStream, releaseHoldingRequest } from "@/server/sse";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const url = new URL(request.url);
  const topics = TopicsParamSchema.safeParse(url.searchParams.get("topics") ?? undefined);
  if (!topics.success) return badRequest(describeIssues(topics.error, "topics"));
  const lastId = LastEventIdSchema.safeParse(request.headers.get("last-event-id") ?? undefined);
  if (!lastId.success) return badRequest(describeIssues(lastId.error, "Last-Event-ID"));
  const admission = await admitLiveStream(request);
  if (!admission.ok) return admission.response;
  const { hub } = await getRuntime();
  return new Response(createSseStream(hub, topics.data, lastId.data, request.signal, releaseHoldingRequest(request, admission.release)), {
    headers: SSE_HEADERS,
  });
}
