/** NATS connection state as the browser sees it. Never carries credentials or full URLs with userinfo. */
export type NatsStatus = "connecting" | "connected" | "reconnecting" | "disconnected" | "closed";

export interface ConnectionState {
  status: NatsStatus;
  /** host:port of the server we are talking to, credentials stripped. */
  server: string | null;
  server_name: string | null;
  cluster: string | null;
  version: string | null;
  jetstream: boolean;
  rtt_ms: number | null;
  reconnects: number;
  /** ISO time the status last changed. */
  since: string;
  last_error: string | null;
  mode: "embedded" | "external";
  demo: boolean;
}

export function initialConnectionState(mode: ConnectionState["mode"], demo: boolean, now: Date): ConnectionState {
  return {
    status: "connecting",
    server: null,
    server_name: null,
    cluster: null,
    version: null,
    jetstream: false,
    rtt_ms: null,
    reconnects: 0,
    since: now.toISOString(),
    last_error: null,
    mode,
    demo,
  };
}

/** Strips userinfo from a NATS URL so it can be shown in the browser. */
export function redactServerUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/)[^@/]*@/i, "$1");
}

/**
 * The cluster a caption names: the server's cluster, or "standalone" for a server that reports none (a single
 * server is its own cluster of one); null until the server is known.
 */
export function clusterLabel(conn: Pick<ConnectionState, "cluster" | "server_name" | "server"> | null | undefined): string | null {
  if (!conn) return null;
  if (conn.cluster) return conn.cluster;
  return conn.server_name || conn.server ? "standalone" : null;
}
