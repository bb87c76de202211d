import { getRuntime } from "@/server/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Liveness plus NATS status: 200 while the process serves, with `nats` telling whether the bus is reachable. */
export async function GET() {
  const { hub } = await getRuntime();
  const conn = hub.getState("connection");
  return Response.json({
    status: "ok",
    nats: conn ? { status: conn.status, server: conn.server, server_name: conn.server_name, rtt_ms: conn.rtt_ms, reconnects: conn.reconnects, since: conn.since } : null,
    sse_clients: hub.stats.clients,
  });
}
