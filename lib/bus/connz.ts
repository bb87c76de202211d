/**
 * What nats-server answers to CONNZ (`$SYS.REQ.SERVER.PING.CONNZ` with a JSON body, or `/connz?…` over HTTP):
 * the connections busdeck lists, open ones sorted by pending bytes and closed ones newest first, at most
 * CONNZ_LIMIT per server. Only the fields shown; a reply without them fails here, never blanks the view.
 */
import { z } from "zod";
import { count, parseEnvelopeWith, parseWith, total, type ServerInfo } from "./replies";

/** Connections read per server and state: the top of each server's list, bounded whatever the bus's size. */
export const CONNZ_LIMIT = 1_000;

export type ConnzState = "open" | "closed";

const connInfoSchema = z.object({
  cid: count,
  ip: z.string().optional(),
  port: z.number().int().optional(),
  start: z.string().optional(),
  stop: z.string().optional(),
  reason: z.string().optional(),
  rtt: z.string().optional(),
  pending_bytes: total.default(0),
  in_msgs: total.default(0),
  out_msgs: total.default(0),
  in_bytes: total.default(0),
  out_bytes: total.default(0),
  subscriptions: count.default(0),
  name: z.string().optional(),
  lang: z.string().optional(),
  version: z.string().optional(),
  account: z.string().optional(),
});

export const connzSchema = z.object({
  server_id: z.string(),
  now: z.string().optional(),
  num_connections: count,
  total: count.optional(),
  connections: z
    .array(connInfoSchema)
    .max(10 * CONNZ_LIMIT)
    .nullish(),
});

export type ConnInfo = z.infer<typeof connInfoSchema>;
export type Connz = z.infer<typeof connzSchema>;

/**
 * The request for one state: open ones by pending bytes (the slow-consumer suspects first), closed ones by
 * stop time, newest first. `auth` makes the server name each connection's account. `state` is nats-server's
 * ConnState: 0 open, 1 closed.
 */
export const CONNZ_REQUESTS: Record<ConnzState, { state: 0 | 1; sort: "pending" | "stop"; limit: number; auth: true }> = {
  open: { state: 0, sort: "pending", limit: CONNZ_LIMIT, auth: true },
  closed: { state: 1, sort: "stop", limit: CONNZ_LIMIT, auth: true },
};

/** The same request as an HTTP monitoring query string. */
export function connzQuery(state: ConnzState): string {
  const r = CONNZ_REQUESTS[state];
  return `?state=${state}&sort=${r.sort}&limit=${r.limit}&auth=true`;
}

export type ParsedConnz = { ok: true; data: Connz } | { ok: false; error: string };

/** An HTTP `/connz` answer (or an envelope's data). */
export const parseConnz = (state: ConnzState, json: unknown): ParsedConnz => parseWith(connzSchema, `connz ${state}`, json);

/** A `$SYS.REQ.SERVER.PING.CONNZ` reply; null when not even its server can be read. */
export const parseConnzEnvelope = (state: ConnzState, json: unknown): ({ server: ServerInfo } & ParsedConnz) | null =>
  parseEnvelopeWith(connzSchema, `connz ${state}`, json);

/** nats-server's closing reasons for a client it cut off for not reading ("Slow Consumer (Pending Bytes)", "… (Write Deadline)"). */
export const isSlowConsumerReason = (reason: string | undefined) => reason?.startsWith("Slow Consumer") === true;
