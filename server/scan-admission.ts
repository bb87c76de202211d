/** Route-side use of the runtime's ScanGuard: admit or answer 429 with the reason and a Retry-After. */
import "server-only";
import { getRuntime } from "./runtime";
import { clientAddress } from "./sse-admission";

export type ScanTicket = { ok: true; release: () => void } | { ok: false; response: Response };

export async function admitScan(request: Request): Promise<ScanTicket> {
  const { scanGuard } = await getRuntime();
  const admission = scanGuard.admit(clientAddress(request.headers));
  if (admission.ok) return admission;
  return {
    ok: false,
    response: Response.json(
      { error: "too_many_scans", reason: admission.reason },
      { status: 429, headers: { "Retry-After": String(admission.retryAfterS ?? 5) } },
    ),
  };
}
