/**
 * Route-side admission: a live slot (the runtime's SseAdmission, shared with /api/events) for every stream to a
 * client, and a ScanGuard slot for walks of a stream; each admits or answers 429 with the reason and a Retry-After.
 */
import "server-only";
import { getRuntime } from "./runtime";
import { limiterKey } from "./client-key";

/** Whom this request's per-client limits count against (server/client-key.ts). */
export async function requestLimiterKey(request: Request): Promise<string> {
  return limiterKey(request, (await getRuntime()).trustedProxies);
}

export type ScanTicket = { ok: true; release: () => void } | { ok: false; response: Response };

/** A live slot for /api/events, tail and search alike: one set of caps (BUSDECK_SSE_MAX_*). */
export async function admitLiveStream(request: Request): Promise<ScanTicket> {
  const { sseAdmission } = await getRuntime();
  const admission = sseAdmission.admit(await requestLimiterKey(request));
  return admission.ok ? admission : { ok: false, response: tooMany("too_many_connections", admission.reason, 5) };
}

export async function admitScan(request: Request): Promise<ScanTicket> {
  const { scanGuard } = await getRuntime();
  const admission = scanGuard.admit(await requestLimiterKey(request));
  return admission.ok ? admission : { ok: false, response: tooMany("too_many_scans", admission.reason, admission.retryAfterS ?? 5) };
}

function tooMany(error: string, reason: string, retryAfterS: number): Response {
  return Response.json({ error, reason }, { status: 429, headers: { "Retry-After": String(retryAfterS) } });
}
