/** What the streams route handlers share: NATS clients from the runtime, and NATS errors mapped to HTTP. */
import "server-only";
import { JetStreamApiCodes, JetStreamApiError, jetstream, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import type { z } from "zod";
import { StreamNameSchema } from "../../lib/streams/queries";
import { badRequest, decodeParam, describeIssues, notFound, unavailable } from "../http";
import { getRuntime } from "../runtime";
import { MaskingThreadError, type PayloadMasker } from "./payload-masker";

export type StreamsClients = { nc: NatsConnection; jsm: JetStreamManager; js: JetStreamClient; masker: PayloadMasker };

export async function streamsClients(): Promise<StreamsClients> {
  const rt = await getRuntime();
  const [nc, jsm] = await Promise.all([rt.nc, rt.jsm()]);
  return { nc, jsm, js: jetstream(nc), masker: rt.payloadMasker };
}

export function isStreamNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound;
}

/** A missing stream is the caller's 404; anything else from NATS means the bus is unavailable right now. */
export function natsErrorResponse(err: unknown, stream: string): Response {
  if (isStreamNotFound(err)) return notFound(`no stream "${stream}"`);
  if (err instanceof MaskingThreadError) return unavailable(`busdeck: ${err.message}; retry the read`);
  return unavailable(`NATS: ${err instanceof Error ? err.message : String(err)}`);
}

/** Parses route params or query with a schema; a Response (400 naming the parameter) when invalid. */
export function parseOr400<S extends z.ZodType>(
  schema: S,
  input: unknown,
  param?: string,
): { ok: true; data: z.output<S> } | { ok: false; response: Response } {
  const r = schema.safeParse(input);
  return r.success ? { ok: true, data: r.data } : { ok: false, response: badRequest(describeIssues(r.error, param)) };
}

/**
 * What every /api/streams/[name]/… handler shares: the stream name validated (400 naming `name`), NATS clients
 * on demand, and NATS errors mapped to 404/503. Clients are lazy so a bad query still gets its 400 at once
 * while NATS is unreachable, instead of waiting for a connection.
 */
export async function withStream(
  params: Promise<{ name: string }>,
  run: (name: string, clients: () => Promise<StreamsClients>) => Promise<Response>,
): Promise<Response> {
  const raw = decodeParam("name", (await params).name);
  if (!raw.ok) return raw.response;
  const name = parseOr400(StreamNameSchema, raw.value, "name");
  if (!name.ok) return name.response;
  try {
    return await run(name.data, streamsClients);
  } catch (err) {
    return natsErrorResponse(err, name.data);
  }
}
