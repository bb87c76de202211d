/**
 * The streams routes' service: NATS clients from the runtime, each call's failures classified (a missing stream
 * is a 404, anything else from NATS a 503), and the stream info, message, download, tail and search replies.
 */
import "server-only";
import { jetstream, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { z } from "zod";
import { PredicateSyntaxError } from "../../lib/streams/predicate";
import { SeqParamSchema, StreamNameSchema, type BrowseQuery, type SearchQuery, type TailQuery } from "../../lib/streams/queries";
import { BadRequestError, isStreamNotFound, MaskedFieldPredicateError, NotFoundError, unavailableOnFailure } from "../errors";
import { getRuntime } from "../runtime";
import { admitLiveStream, admitScan } from "../scan-admission";
import { eventStreamResponse } from "./event-stream";
import { browseMessages, missingMessage, readMessage, subjectCounts } from "./messages";
import type { PayloadMasker } from "./payload-masker";
import { compileMatcher, searchStream } from "./search";
import { tailStream } from "./tail";

export type StreamsClients = { nc: NatsConnection; jsm: JetStreamManager; js: JetStreamClient; masker: PayloadMasker };

/** The path of /api/streams/[name]/…. */
export const StreamParamsSchema = z.object({ name: StreamNameSchema });
/** The path of /api/streams/[name]/messages/[seq]. */
export const MessageParamsSchema = z.object({ name: StreamNameSchema, seq: SeqParamSchema });
export const DownloadQuerySchema = z.object({ download: z.string().optional() });

export async function streamsClients(): Promise<StreamsClients> {
  const rt = await getRuntime();
  const [nc, jsm] = await Promise.all([rt.nc, rt.jsm()]);
  return { nc, jsm, js: jetstream(nc), masker: rt.payloadMasker };
}

/** `op` on the stream `name` with the runtime's clients: a missing stream is a NotFoundError, any other failure a 503. */
export async function onStream<T>(name: string, op: (clients: StreamsClients) => Promise<T>): Promise<T> {
  return unavailableOnFailure("NATS", async () => {
    try {
      return await op(await streamsClients());
    } catch (err) {
      throw isStreamNotFound(err) ? new NotFoundError(`no stream "${name}"`) : err;
    }
  });
}

/**
 * The stream's full configuration and state exactly as JetStream reports them (every field, including those
 * the live summary leaves out: duplicate window, placement, deny_delete, republish…).
 */
export function streamInfo(name: string) {
  return onStream(name, async ({ jsm }) => {
    const si = await jsm.streams.info(name);
    return {
      config: si.config,
      state: si.state,
      cluster: si.cluster ?? null,
      mirror: si.mirror ?? null,
      sources: si.sources ?? [],
      created: si.created,
    };
  });
}

export function streamSubjects(name: string) {
  return onStream(name, ({ jsm }) => subjectCounts(jsm, name));
}

export function browseStream(name: string, query: BrowseQuery, signal: AbortSignal) {
  return onStream(name, ({ jsm, masker }) => browseMessages(jsm, name, query, { signal }, masker));
}

/** One stored message, masked: its view as JSON, or with `download` its bytes as an attachment. */
export function storedMessage(name: string, seq: number, download: boolean): Promise<Response> {
  return onStream(name, async ({ nc, jsm, masker }) => {
    const msg = await readMessage(jsm, name, seq, masker, nc);
    if (!msg) throw await missingMessage(jsm, name, seq);
    if (!download) return Response.json(msg.view);
    return new Response(Buffer.from(msg.bytes), {
      headers: {
        "Content-Type": "application/octet-stream",
        "Content-Disposition": `attachment; filename="${downloadName(name, seq, msg.view.payload.kind)}"`,
      },
    });
  });
}

/** Stream names may hold quotes and non-ASCII; a header value must not. */
function downloadName(stream: string, seq: number, kind: string): string {
  const ext = kind === "json" ? "json" : kind === "text" ? "txt" : "bin";
  return `${stream.replace(/[^A-Za-z0-9_-]/g, "_")}-${seq}.${ext}`;
}

/** New messages as server-sent events; a missing stream is a 404 before the stream starts, not an error event. */
export function tailResponse(request: Request, name: string, query: TailQuery): Promise<Response> {
  return onStream(name, async ({ js, jsm, masker }) => {
    await jsm.streams.info(name);
    const release = await admitLiveStream(request);
    return eventStreamResponse(request, (signal) => tailStream(js, name, query, signal, masker), { onGone: release });
  });
}

/**
 * Payload search as server-sent events. A bad or masked-field predicate is a 400 on `q` before any slot is
 * taken; then a live slot (as /api/events) and a scan slot, both released if the search cannot start.
 */
export async function searchResponse(request: Request, name: string, query: SearchQuery): Promise<Response> {
  try {
    compileMatcher(query);
  } catch (err) {
    if (err instanceof PredicateSyntaxError || err instanceof MaskedFieldPredicateError) throw new BadRequestError("q", err.message);
    throw err;
  }
  const releaseLive = await admitLiveStream(request);
  let releaseScan: (() => void) | undefined;
  try {
    releaseScan = await admitScan(request);
    const scanSlot = releaseScan;
    return await onStream(name, async ({ js, jsm, masker }) => {
      await jsm.streams.info(name);
      return eventStreamResponse(request, (signal) => searchStream(js, jsm, name, query, signal, undefined, masker), {
        onWalkEnd: scanSlot,
        onGone: releaseLive,
      });
    });
  } catch (err) {
    releaseScan?.();
    releaseLive();
    throw err;
  }
}
