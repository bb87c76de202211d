import { requestIdentity } from "@/server/auth/identity";
import { getRuntime } from "@/server/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Liveness plus NATS status: 200 while the process serves, with `nats` telling whether the bus is reachable.
 * `?ready=1` is the readiness form: 503 while NATS is not connected, so a load balancer stops sending browsers
 * to a replica that can only show a banner — without a liveness restart that would not bring NATS back.
 */
export async function GET(request: Request) {
  const { hub } = await getRuntime();
  const conn = hub.getState("connection");
  const ready = conn?.status === "connected";
  if (new URL(request.url).searchParams.get("ready") === "1" && !ready) {
    return Response.json({ status: "not_ready", nats: conn ? { status: conn.status } : null }, { status: 503 });
  }
  // Open to probes without credentials (proxy.ts sets the role only for an authenticated caller): they learn
  // that the process serves and whether NATS is connected — not where NATS is or how busy busdeck is.
  const identity = requestIdentity(request);
  if (!identity) return Response.json({ status: "ok", nats: conn ? { status: conn.status } : null });
  return Response.json({
    status: "ok",
    nats: conn
      ? {
          status: conn.status,
          server: conn.server,
          server_name: conn.server_name,
          rtt_ms: conn.rtt_ms,
          reconnects: conn.reconnects,
          since: conn.since,
        }
      : null,
    sse_clients: hub.stats.clients,
    // Who the caller is to busdeck (user and role), so clients and tests can see what the gate decided.
    identity,
  });
}
