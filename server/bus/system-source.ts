/**
 * Reads every server of the bus from one system-account connection: each `$SYS.REQ.SERVER.PING.<kind>` request
 * is answered once per server, so replies are collected until a short quiet gap (STACK-NOTES, "System account").
 * The six kinds go out together; a sample costs about one quiet gap.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { describeError } from "../../lib/errors";
import { parseEnvelope, REPLY_KINDS, type ReplyKind, type ServerInfo } from "../../lib/bus/replies";
import type { ObservedServer } from "../../lib/bus/servers";
import type { ObservedConnz } from "../../lib/bus/connections";
import { CONNZ_REQUESTS, parseConnzEnvelope, type ConnzState } from "../../lib/bus/connz";

export interface PingOptions {
  /** Replies stop once none arrived for this long. */
  stallMs: number;
  /** The wait for the first reply. */
  maxWaitMs: number;
}

export const DEFAULT_PING: PingOptions = { stallMs: 100, maxWaitMs: 1_000 };

export const pingSubject = (kind: ReplyKind | "CONNZ") => `$SYS.REQ.SERVER.PING.${kind}`;

/**
 * Every reply to one ping, as raw JSON; a failed request (no responders, connection closed) throws. `body`: the
 * request's options (CONNZ's sort, limit, state), none for the other kinds.
 */
export async function pingAll(
  nc: NatsConnection,
  kind: ReplyKind | "CONNZ",
  opts: PingOptions = DEFAULT_PING,
  body = "",
): Promise<unknown[]> {
  const replies: unknown[] = [];
  const iter = await nc.requestMany(pingSubject(kind), body, { strategy: "stall", stall: opts.stallMs, maxWait: opts.maxWaitMs });
  for await (const m of iter) {
    try {
      replies.push(m.json());
    } catch {
      replies.push(null);
    }
  }
  return replies;
}

/** One sample of every server that answered, their replies grouped by server name. */
export async function collectSystemSample(
  nc: NatsConnection,
  opts: PingOptions = DEFAULT_PING,
): Promise<{ servers: ObservedServer[]; error?: string }> {
  const byServer = new Map<string, ObservedServer>();
  const failures: string[] = [];
  const serverOf = (info: ServerInfo) => {
    let s = byServer.get(info.name);
    if (!s) byServer.set(info.name, (s = { key: info.name, reachable: true, replies: { errors: {} } }));
    return Object.assign(s, { id: info.id, name: info.name, cluster: info.cluster, host: info.host });
  };
  await Promise.all(
    REPLY_KINDS.map(async (kind) => {
      let replies: unknown[];
      try {
        replies = await pingAll(nc, kind, opts);
      } catch (err) {
        failures.push(`${kind.toLowerCase()}: ${describeError(err)}`);
        return;
      }
      for (const json of replies) {
        const parsed = parseEnvelope(kind, json);
        if (!parsed) continue;
        const server = serverOf(parsed.server);
        if (parsed.ok) (server.replies as Record<ReplyKind, unknown>)[kind] = parsed.data;
        else server.replies.errors[kind] = parsed.error;
      }
    }),
  );
  const servers = [...byServer.values()];
  // Every request failing means the connection, not the servers: each known server misses this sample.
  return failures.length === REPLY_KINDS.length ? { servers, error: failures[0] } : { servers };
}

/**
 * Every server's open connections (top CONNZ_LIMIT by pending bytes) and latest closed ones, from one
 * system-account connection; replies grouped by server name.
 */
export async function collectSystemConnections(
  nc: NatsConnection,
  opts: PingOptions = DEFAULT_PING,
): Promise<{ servers: ObservedConnz[]; error?: string }> {
  const byServer = new Map<string, ObservedConnz>();
  const failures: string[] = [];
  const states: ConnzState[] = ["open", "closed"];
  await Promise.all(
    states.map(async (state) => {
      let replies: unknown[];
      try {
        replies = await pingAll(nc, "CONNZ", opts, JSON.stringify(CONNZ_REQUESTS[state]));
      } catch (err) {
        failures.push(`connz ${state}: ${describeError(err)}`);
        return;
      }
      for (const json of replies) {
        const parsed = parseConnzEnvelope(state, json);
        if (!parsed) continue;
        let server = byServer.get(parsed.server.name);
        if (!server) byServer.set(parsed.server.name, (server = { key: parsed.server.name, reachable: true, errors: [] }));
        if (parsed.ok) server[state] = parsed.data;
        else server.errors.push(parsed.error);
      }
    }),
  );
  const servers = [...byServer.values()];
  return failures.length === states.length ? { servers, error: failures[0] } : { servers };
}
