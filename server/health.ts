/** /api/health: liveness plus NATS status, and the readiness form for load balancers. */
import "server-only";
import type { Identity } from "./auth/identity";
import { getRuntime } from "./runtime";

/**
 * 200 while the process serves, with `nats` telling whether the bus is reachable. `ready` is the readiness form:
 * 503 while NATS is not connected, so a load balancer stops sending browsers to a replica that can only show a
 * banner — without a liveness restart that would not bring NATS back.
 */
export async function healthResponse(identity: Identity | null, ready: boolean): Promise<Response> {
  const { hub } = await getRuntime();
  const conn = hub.getState("connection");
  if (ready && conn?.status !== "connected") {
    return Response.json({ status: "not_ready", nats: conn ? { status: conn.status } : null }, { status: 503 });
  }
  // Open to probes without credentials (proxy.ts sets the role only for an authenticated caller): they learn
  // that the process serves and whether NATS is connected — not where NATS is or how busy busdeck is.
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
