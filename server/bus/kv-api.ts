/**
 * The KV and object store routes' service: the runtime's NATS clients and masker, which buckets are busdeck's own
 * and which are lock buckets, and each read's failures classified (a missing bucket is a 404, anything else from
 * NATS a 503).
 */
import "server-only";
import { kvChangeOf, kvKeyFilter, kvStreamName, type KvOverview, type KvWatchEvent } from "../../lib/bus/kv";
import { isStreamNotFound, NotFoundError, unavailableOnFailure } from "../errors";
import { getRuntime } from "../runtime";
import { admitLiveStream } from "../scan-admission";
import { streamsClients } from "../streams/api";
import { eventStreamResponse } from "../streams/event-stream";
import { tailStream } from "../streams/tail";
import { readKvHistory, readKvKeys, readKvOverview, readObjects, type KvMarks, type KvReadClients } from "./kv-reader";

async function kvContext(): Promise<{ clients: KvReadClients; marks: KvMarks }> {
  const rt = await getRuntime();
  const { js, jsm, masker } = await streamsClients();
  const ownStreams = rt.hub.getState("streams")?.own_streams ?? [];
  return { clients: { js, jsm, masker }, marks: { ownStreams, lockBuckets: rt.config.lockBuckets } };
}

/** `op` with the runtime's clients: a missing backing stream is a 404 naming the bucket, other failures a 503. */
function onBucket<T>(what: string, op: (ctx: Awaited<ReturnType<typeof kvContext>>) => Promise<T>): Promise<T> {
  return unavailableOnFailure("NATS", async () => {
    try {
      return await op(await kvContext());
    } catch (err) {
      throw isStreamNotFound(err) ? new NotFoundError(`no ${what}`) : err;
    }
  });
}

export const kvOverview = (): Promise<KvOverview> => onBucket("JetStream", ({ clients, marks }) => readKvOverview(clients.jsm, marks));

export const kvKeys = (bucket: string, prefix: string, signal: AbortSignal) =>
  onBucket(`KV bucket "${bucket}"`, ({ clients, marks }) => readKvKeys(clients, bucket, prefix, marks, signal));

/** A key's revisions as JSON; with `download`, the selected revision's masked value as an attachment. */
export function kvKeyHistory(bucket: string, key: string, rev: number | undefined, download: boolean, signal: AbortSignal) {
  return onBucket(`KV bucket "${bucket}"`, async ({ clients, marks }) => {
    const { history, selectedBytes } = await readKvHistory(clients, bucket, key, rev, marks, signal);
    if (!download) return history;
    if (!selectedBytes)
      throw new NotFoundError(`revision ${history.selected?.revision} of "${key}" is a ${history.selected?.operation}: no value`);
    return new Response(Buffer.from(selectedBytes), {
      headers: {
        "Content-Type": "application/octet-stream",
        "Content-Disposition": `attachment; filename="${`${bucket}-${key}`.replace(/[^A-Za-z0-9_-]/g, "_")}-${history.selected!.revision}.bin"`,
      },
    });
  });
}

export const objectStoreObjects = (bucket: string, signal: AbortSignal) =>
  onBucket(`object store "${bucket}"`, ({ clients }) => readObjects(clients, bucket, signal));

/**
 * New revisions of the bucket's keys starting with `prefix`, as server-sent events: the stream tail
 * (server/streams/tail.ts) on the prefix's subject filter, values masked. Takes a live slot like /api/events; a
 * client that stops reading is dropped and the consumer deleted. A missing bucket is a 404 before the stream starts.
 */
export function kvWatchResponse(request: Request, bucket: string, prefix: string): Promise<Response> {
  return onBucket(`KV bucket "${bucket}"`, async ({ clients }) => {
    const stream = kvStreamName(bucket);
    await clients.jsm.streams.info(stream);
    const release = await admitLiveStream(request);
    return eventStreamResponse(
      request,
      async function* (signal): AsyncGenerator<KvWatchEvent> {
        for await (const item of tailStream(clients.js, stream, { subject: kvKeyFilter(bucket, prefix) }, signal, clients.masker)) {
          if (item.type === "skipped") yield item;
          else {
            const change = kvChangeOf(bucket, prefix, item.message);
            if (change) yield { type: "change", change };
          }
        }
      },
      { onGone: release },
    );
  });
}
