import { LastEventIdSchema, TopicsParamSchema } from "@/lib/sse-params";
import { badRequest, describeIssues } from "@/server/http";
import { getRuntime } from "@/server/runtime";
import { requestLimiterKey } from "@/server/scan-admission";
import { SSE_HEADERS, createSseStream } from "@/server/sse";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const url = new URL(request.url);
  const topics = TopicsParamSchema.safeParse(url.searchParams.get("topics") ?? undefined);
  if (!topics.success) return badRequest(describeIssues(topics.error, "topics"));
  const lastId = LastEventIdSchema.safeParse(request.headers.get("last-event-id") ?? undefined);
  if (!lastId.success) return badRequest(describeIssues(lastId.error, "Last-Event-ID"));
  const { hub, sseAdmission } = await getRuntime();
  const admission = sseAdmission.admit(await requestLimiterKey(request));
  if (!admission.ok) {
    return Response.json({ error: "too_many_connections", reason: admission.reason }, { status: 429, headers: { "Retry-After": "5" } });
  }
  return new Response(createSseStream(hub, topics.data, lastId.data, request.signal, admission.release), { headers: SSE_HEADERS });
}
