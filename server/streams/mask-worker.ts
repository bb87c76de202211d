/**
 * A masking thread: decodes, masks and renders the large payloads the request thread posts (lib/security/masked-payload.ts,
 * stored-reply.ts), so a multi-megabyte payload does not hold up every other response. It reads single stored
 * messages itself, on a connection of its own, so their bytes never reach the request thread at all. Started by
 * payload-masker.ts; needs nothing of the server's runtime.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { NatsConnection } from "@nats-io/nats-core";
import { maskPayload } from "../../lib/security/masked-payload";
import { openNats } from "../nats-connection";
import { ownBuffer, transferable, type MaskRequest, type MaskResponse, type MaskWorkerData } from "./mask-protocol";
import { maskStoredReply, type MaskedRead } from "./stored-reply";

const { patterns, nats } = workerData as MaskWorkerData;
const port = parentPort!;

type Answer = { response: MaskResponse; transfer: ArrayBuffer[] };

/** The reader connection, opened with the first read: same servers, credentials and inbox prefix as the runtime's. */
let reader: Promise<NatsConnection> | null = null;
const readerConnection = (): Promise<NatsConnection> => {
  if (!nats) return Promise.reject(new Error("this masking thread has no connection to read with"));
  return (reader ??= openNats({ ...nats, name: `${nats.name ?? "busdeck"}-reader` }));
};

/** The reader connection, or an error after `ms` (it retries forever, like the runtime's: NATS may be down). */
const connectedWithin = (ms: number): Promise<NatsConnection> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not connected to NATS within ${ms} ms`)), ms);
  });
  return Promise.race([readerConnection(), late]).finally(() => clearTimeout(timer));
};

const readAnswer = (id: number, read: MaskedRead | null): Answer => {
  if (!read) return { response: { t: "read", id, read }, transfer: [] };
  const data = ownBuffer(read.masked.data);
  return { response: { t: "read", id, read: { ...read, masked: { ...read.masked, data } } }, transfer: transferable(data) };
};

async function answer(r: MaskRequest): Promise<Answer> {
  if (r.t === "payload") {
    const masked = maskPayload({ data: r.data, headers: r.headers }, patterns, r.render);
    const data = ownBuffer(masked.data);
    return { response: { t: "masked", id: r.id, masked: { ...masked, data } }, transfer: transferable(data) };
  }
  if (r.t === "reply") return readAnswer(r.id, maskStoredReply(r.reply, patterns, r.render));
  const nc = await connectedWithin(r.timeout);
  const reply = await nc.request(`${r.apiPrefix}.STREAM.MSG.GET.${r.stream}`, JSON.stringify({ seq: r.seq }), { timeout: r.timeout });
  return readAnswer(r.id, maskStoredReply(reply.data, patterns, r.render));
}

port.on("message", (r: MaskRequest) => {
  answer(r).then(
    ({ response, transfer }) => port.postMessage(response, transfer),
    (err: Error) => port.postMessage({ t: "failed", id: r.id, error: err.message } satisfies MaskResponse),
  );
});
port.postMessage({ t: "ready" } satisfies MaskResponse);
