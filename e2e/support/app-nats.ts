import { expect, type APIRequestContext } from "@playwright/test";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";

/** The app's embedded nats-server, as /api/health reports it (host:port, no credentials); `name` names the connection. */
export async function connectToAppNats(request: APIRequestContext, opts: { name?: string } = {}): Promise<NatsConnection> {
  let server: string | undefined;
  await expect
    .poll(async () => (server = (await (await request.get("/api/health")).json()).nats?.server), { timeout: 30_000 })
    .toBeTruthy();
  return connect({ servers: server!.replace(/^nats:\/\//, ""), name: opts.name });
}
