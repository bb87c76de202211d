/**
 * What nats-server answers to the monitoring requests busdeck samples (VARZ, ROUTEZ, GATEWAYZ, LEAFZ, JSZ,
 * HEALTHZ), through the system account (`$SYS.REQ.SERVER.PING.*`, each reply in an envelope naming its server)
 * or the HTTP monitoring port (the bare data). Only the fields busdeck shows; unknown ones are dropped, and a
 * reply that lacks what it needs fails here rather than blanking a view.
 */
import { z } from "zod";

export const count = z.number().int().nonnegative();
/** A byte or message counter: a float in JSON once past 2^53, still a non-negative number. */
export const total = z.number().nonnegative();

/** Which server sent a system-account reply. */
export const serverInfoSchema = z.object({
  name: z.string(),
  id: z.string(),
  host: z.string().optional(),
  cluster: z.string().optional(),
  ver: z.string().optional(),
  time: z.string().optional(),
});

const jetStreamLimitsSchema = z.object({ max_memory: total.optional(), max_storage: total.optional() });
const metaSchema = z.object({ leader: z.string().optional(), cluster_size: count.optional() });

export const varzSchema = z.object({
  server_id: z.string(),
  server_name: z.string(),
  version: z.string(),
  start: z.string().optional(),
  now: z.string().optional(),
  cpu: z.number().nonnegative().optional(),
  mem: total.optional(),
  cores: count.optional(),
  connections: count,
  total_connections: total.optional(),
  subscriptions: total,
  slow_consumers: total,
  in_msgs: total,
  out_msgs: total,
  in_bytes: total,
  out_bytes: total,
  cluster: z.object({ name: z.string().optional() }).optional(),
  gateway: z.object({ name: z.string().optional() }).optional(),
  jetstream: z
    .object({
      config: jetStreamLimitsSchema.optional(),
      stats: z.object({ memory: total, storage: total, reserved_memory: total.optional(), reserved_storage: total.optional() }).optional(),
      meta: metaSchema.optional(),
    })
    .optional(),
});

export const routezSchema = z.object({
  num_routes: count.optional(),
  routes: z
    .array(
      z.object({
        remote_id: z.string(),
        ip: z.string().optional(),
        port: z.number().optional(),
        rtt: z.string().optional(),
        pending_size: total.optional(),
      }),
    )
    .nullish(),
});

const gatewayConnectionSchema = z.object({ rtt: z.string().optional(), pending_bytes: total.optional(), name: z.string().optional() });
export const gatewayzSchema = z.object({
  name: z.string().optional(),
  outbound_gateways: z
    .record(z.string(), z.object({ configured: z.boolean().optional(), connection: gatewayConnectionSchema.nullish() }))
    .nullish(),
  inbound_gateways: z.record(z.string(), z.array(z.object({ connection: gatewayConnectionSchema.nullish() }))).nullish(),
});

export const leafzSchema = z.object({
  leafnodes: count.optional(),
  leafs: z
    .array(
      z.object({
        name: z.string().optional(),
        account: z.string().optional(),
        ip: z.string().optional(),
        port: z.number().optional(),
        rtt: z.string().optional(),
        pending_bytes: total.optional(),
      }),
    )
    .nullish(),
});

export const jszSchema = z.object({
  config: jetStreamLimitsSchema.optional(),
  memory: total,
  storage: total,
  reserved_memory: total.optional(),
  reserved_storage: total.optional(),
  streams: count.optional(),
  consumers: count.optional(),
  meta_cluster: metaSchema.optional(),
});

export const healthzSchema = z.object({ status: z.string(), error: z.string().optional() });

export const REPLY_SCHEMAS = {
  VARZ: varzSchema,
  ROUTEZ: routezSchema,
  GATEWAYZ: gatewayzSchema,
  LEAFZ: leafzSchema,
  JSZ: jszSchema,
  HEALTHZ: healthzSchema,
} as const;

export type ReplyKind = keyof typeof REPLY_SCHEMAS;
export const REPLY_KINDS = Object.keys(REPLY_SCHEMAS) as ReplyKind[];
export type Reply<K extends ReplyKind> = z.infer<(typeof REPLY_SCHEMAS)[K]>;
export type ServerInfo = z.infer<typeof serverInfoSchema>;

/** One server's replies in one sample: each kind parsed, or the reason it could not be. */
export type ServerReplies = { [K in ReplyKind]?: Reply<K> } & { errors: Partial<Record<ReplyKind, string>> };

/** A system-account reply: the server's identity, then its data or the error it reported. */
const envelopeSchema = z.object({
  server: serverInfoSchema,
  data: z.unknown().optional(),
  error: z.object({ code: z.number().optional(), description: z.string().optional() }).optional(),
});

export type ParsedEnvelope<K extends ReplyKind> = { server: ServerInfo } & ({ ok: true; data: Reply<K> } | { ok: false; error: string });

/** A `$SYS.REQ.SERVER.PING.<kind>` reply, or null when not even the server it came from can be read. */
export function parseEnvelope<K extends ReplyKind>(kind: K, json: unknown): ParsedEnvelope<K> | null {
  return parseEnvelopeWith(REPLY_SCHEMAS[kind] as unknown as z.ZodType<Reply<K>>, kind, json);
}

/** A system-account reply whose data `schema` reads; `label` names the kind in errors. */
export function parseEnvelopeWith<T>(
  schema: z.ZodType<T>,
  label: string,
  json: unknown,
): ({ server: ServerInfo } & ({ ok: true; data: T } | { ok: false; error: string })) | null {
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return null;
  const { server, data, error } = envelope.data;
  if (error) return { server, ok: false, error: error.description ?? `error ${error.code ?? "?"}` };
  const parsed = parseWith(schema, label, data);
  return parsed.ok ? { server, ok: true, data: parsed.data } : { server, ok: false, error: parsed.error };
}

/** One kind's data (an HTTP monitoring answer, or an envelope's `data`), or a short reason it is unusable. */
export function parseReply<K extends ReplyKind>(kind: K, json: unknown): { ok: true; data: Reply<K> } | { ok: false; error: string } {
  return parseWith(REPLY_SCHEMAS[kind] as unknown as z.ZodType<Reply<K>>, kind, json);
}

/** Data `schema` reads, or the first problem with it prefixed by the kind (`label`). */
export function parseWith<T>(schema: z.ZodType<T>, label: string, json: unknown): { ok: true; data: T } | { ok: false; error: string } {
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, error: `${label.toLowerCase()}: ${issue ? `${issue.path.join(".") || "reply"}: ${issue.message}` : "invalid"}` };
}

const GO_UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 0.001, µs: 0.001, μs: 0.001, ns: 0.000_001 };

/** A Go duration string as nats-server prints RTTs and uptimes ("1.5ms", "2m3.4s", "0s") in ms; null if unreadable. */
export function parseGoDuration(text: string | undefined): number | null {
  if (!text || text.length > 64) return null;
  const parts = text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|μs|ns)/g);
  let ms = 0;
  let consumed = 0;
  for (const [whole, value, unit] of parts) {
    ms += Number(value) * GO_UNIT_MS[unit!]!;
    consumed += whole.length;
  }
  return consumed === text.length && consumed > 0 ? ms : null;
}
