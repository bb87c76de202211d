/**
 * Opens busdeck's one NATS connection (TCP, or websocket for ws:// seeds) and reports its status.
 * Credentials stay here: only redacted, display-safe fields leave this module.
 */
import { readFileSync } from "node:fs";
import { credsAuthenticator, wsconnect, type ConnectionOptions, type NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import WebSocket from "ws";
import type { ConnectionState } from "../lib/wire/connection";
import { redactServerUrl } from "../lib/wire/connection";
import type { BusdeckConfig } from "./config";

/**
 * How busdeck's client makes requests, also for the benches that compare against bare calls. No async stack
 * traces: the client builds two errors with captured stacks for every request (10,000 consumers take ~140 requests
 * a second), to give a timeout its caller's stack; busdeck reports a request's error by its message.
 * bench:consumer-sampler, both sides without them: a sample's CPU 69–70 ms against 74–76 ms, the bare calls' 30–32
 * against 33–35 ms (alternated runs on a noisy machine; the whole effect is a few ms).
 */
export const CLIENT_TUNING = { noAsyncTraces: true } satisfies Partial<ConnectionOptions>;

export function connectionOptions(nats: BusdeckConfig["nats"]): ConnectionOptions {
  const opts: ConnectionOptions = {
    ...CLIENT_TUNING,
    servers: nats.servers,
    name: nats.name ?? "busdeck",
    // A dashboard must outlive any outage of the bus it watches: retry forever, starting before first contact.
    maxReconnectAttempts: -1,
    waitOnFirstConnect: true,
    reconnectTimeWait: 1_000,
    pingInterval: 10_000,
    timeout: 5_000,
    inboxPrefix: nats.inboxPrefix,
  };
  if (nats.creds) opts.authenticator = credsAuthenticator(readFileSync(nats.creds));
  if (nats.token) opts.token = nats.token;
  if (nats.user) {
    opts.user = nats.user;
    opts.pass = nats.password;
  }
  if (nats.caFile) opts.tls = { caFile: nats.caFile };
  return opts;
}

const isWebsocket = (servers: string[]) => servers.some((s) => /^wss?:\/\//.test(s));

/**
 * Node 20 has no global WebSocket and `wsconnect` then never settles; the `ws` package gives it one
 * through the documented factory hook.
 */
export async function openNats(nats: BusdeckConfig["nats"]): Promise<NatsConnection> {
  const opts = connectionOptions(nats);
  if (!isWebsocket(nats.servers)) return connect(opts);
  if (nats.servers.some((s) => !/^wss?:\/\//.test(s))) {
    throw new Error("NATS_URL mixes ws:// and nats:// seeds; use one transport");
  }
  return wsconnect({
    ...opts,
    wsFactory: async (url: string) => ({
      socket: new WebSocket(url) as unknown as globalThis.WebSocket,
      encrypted: url.startsWith("wss://"),
    }),
  });
}

/** Snapshot of what the connection knows about its server, safe to show in a browser. */
export function describeServer(nc: NatsConnection): Pick<ConnectionState, "server" | "server_name" | "cluster" | "version" | "jetstream"> {
  const info = nc.info;
  return {
    server: redactServerUrl(nc.getServer()),
    server_name: info?.server_name ?? null,
    cluster: info?.cluster ?? null,
    version: info?.version ?? null,
    jetstream: Boolean(info?.jetstream),
  };
}

/**
 * Follows the connection's status iterator and calls `update` with each change, plus an RTT probe.
 * Returns a stop function.
 */
export function watchConnection(nc: NatsConnection, update: (patch: Partial<ConnectionState>) => void, rttIntervalMs = 5_000): () => void {
  let stopped = false;
  const now = () => new Date().toISOString();
  update({ status: "connected", since: now(), last_error: null, ...describeServer(nc) });
  (async () => {
    let reconnects = 0;
    for await (const s of nc.status()) {
      if (stopped) break;
      switch (s.type) {
        case "disconnect":
          update({ status: "reconnecting", since: now(), rtt_ms: null });
          break;
        case "reconnecting":
          update({ status: "reconnecting" });
          break;
        case "reconnect":
          reconnects++;
          update({ status: "connected", since: now(), reconnects, last_error: null, ...describeServer(nc) });
          break;
        case "error":
          update({ last_error: String(s.error?.message ?? s.error) });
          break;
        case "close":
          update({ status: "closed", since: now() });
          break;
      }
    }
  })().catch(() => undefined);
  const timer = setInterval(async () => {
    if (nc.isClosed() || stopped) return;
    try {
      update({ rtt_ms: Math.round((await nc.rtt()) * 10) / 10 });
    } catch {
      // while reconnecting rtt() fails; the status iterator reports that
    }
  }, rttIntervalMs);
  timer.unref?.();
  nc.closed().then(() => update({ status: "closed", since: now() }));
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
