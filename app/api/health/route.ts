import { requestIdentity } from "@/server/auth/identity";
import { getRuntime } from "@/server/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Liveness plus NATS status: 200 while the process serves, with `nats` telling whether the bus is reachable. */
export async function GET(request: Request) {
  const { hub } = await getRuntime();
  const conn = hub.getState("connection");
  // Open to probes without credentials (proxy.ts sets the role only for an authenticated caller): they learn
  // that the process serves and whether NATS is connected — not where NATS is or how busy busdeck is.
  const identity = requestIdentity(request);
  if (!identity) return Response.json({ status: "ok", nats: conn ? { status: conn.status } : null });
  return Response.json({
    status: "ok",
    nats: conn ? { status: conn.status, server: conn.server, server_name: conn.server_name, rtt_ms: conn.rtt_ms, reconnects: conn.reconnects, since: conn.since } : null,
    sse_clients: hub.stats.clients,
    // Who the caller is to busdeck (user and role), so clients and tests can see what the gate decided.
    identity,
  });
}
