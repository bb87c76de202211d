/**
 * Route-side admission: a live slot (the runtime's SseAdmission, shared with /api/events) for every stream to a
 * client, and a ScanGuard slot for walks of a stream; each admits or answers 429 with the reason and a Retry-After.
 */
import "server-only";
import { getRuntime } from "./runtime";
import { TrustedProxies, limiterKey } from "./client-key";

const trustedByList = new WeakMap<readonly string[], TrustedProxies>();

/** Whom this request's per-client limits count against (server/client-key.ts). */
export async function requestLimiterKey(request: Request): Promise<string> {
  const { config } = await getRuntime();
  let trusted = trustedByList.get(config.trustedProxies);
  if (!trusted) trustedByList.set(config.trustedProxies, (trusted = new TrustedProxies(config.trustedProxies)));
  return limiterKey(request, trusted);
}

export type ScanTicket = { ok: true; release: () => void } | { ok: false; response: Response };

/** Tail and search streams count against the same caps as /api/events (BUSDECK_SSE_MAX_*). */
export async function admitLiveStream(request: Request): Promise<ScanTicket> {
  const { sseAdmission } = await getRuntime();
  const admission = sseAdmission.admit(await requestLimiterKey(request));
  if (admission.ok) return admission;
  return { ok: false, response: Response.json({ error: "too_many_connections", reason: admission.reason }, { status: 429, headers: { "Retry-After": "5" } }) };
}

export async function admitScan(request: Request): Promise<ScanTicket> {
  const { scanGuard } = await getRuntime();
  const admission = scanGuard.admit(await requestLimiterKey(request));
  if (admission.ok) return admission;
  return {
    ok: false,
    response: Response.json(
      { error: "too_many_scans", reason: admission.reason },
      { status: 429, headers: { "Retry-After": String(admission.retryAfterS ?? 5) } },
    ),
  };
}
