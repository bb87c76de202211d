/**
 * Route-side admission: a live slot (the runtime's SseAdmission, shared with /api/events) for every stream to a
 * client, and a ScanGuard slot for walks of a stream; each admits or throws a TooManyRequestsError (a 429 with
 * the reason and a Retry-After).
 */
import "server-only";
import { getRuntime } from "./runtime";
import { limiterKey } from "./client-key";
import { TooManyRequestsError } from "./errors";

/** Whom this request's per-client limits count against (server/client-key.ts). */
export async function requestLimiterKey(request: Request): Promise<string> {
  return limiterKey(request, (await getRuntime()).trustedProxies);
}

/**
 * A live slot for /api/events, tail and search alike: one set of caps (BUSDECK_SSE_MAX_*). Its release holds the
 * request, so the client going away is still seen after the route returns (releaseHoldingRequest).
 */
export async function admitLiveStream(request: Request): Promise<() => void> {
  const { sseAdmission } = await getRuntime();
  const admission = sseAdmission.admit(await requestLimiterKey(request));
  if (!admission.ok) throw new TooManyRequestsError("too_many_connections", admission.reason, 5);
  return releaseHoldingRequest(request, admission.release);
}

/** A slot for a walk of a stream (payload search, outcome range queries); the release ends it. */
export async function admitScan(request: Request): Promise<() => void> {
  const { scanGuard } = await getRuntime();
  const admission = scanGuard.admit(await requestLimiterKey(request));
  if (!admission.ok) throw new TooManyRequestsError("too_many_scans", admission.reason, admission.retryAfterS ?? 5);
  return admission.release;
}

/**
 * `release`, holding the request until it runs. undici makes a Request's signal follow the client's through a
 * link only the Request object keeps alive: once the route returns and the Request is collected, the client
 * going away is never seen and its live slot is never freed.
 */
function releaseHoldingRequest(request: Request, release: () => void): () => void {
  return () => {
    release();
    void request;
  };
}
