/**
 * A masking thread: decodes, masks and renders the large payloads the request thread posts (lib/security/masked-payload.ts,
 * stored-reply.ts), so a multi-megabyte payload does not hold up every other response. Started by
 * payload-masker.ts; needs nothing of the server's runtime.
 */
import { parentPort, workerData } from "node:worker_threads";
import { maskPayload } from "../../lib/security/masked-payload";
import { ownBuffer, transferable, type MaskRequest, type MaskResponse, type MaskWorkerData } from "./mask-protocol";
import { maskStoredReply } from "./stored-reply";

const { patterns } = workerData as MaskWorkerData;
const port = parentPort!;

function answer(r: MaskRequest): { response: MaskResponse; transfer: ArrayBuffer[] } {
  if (r.t === "payload") {
    const masked = maskPayload({ data: r.data, headers: r.headers }, patterns, r.render);
    const data = ownBuffer(masked.data);
    return { response: { t: "masked", id: r.id, masked: { ...masked, data } }, transfer: transferable(data) };
  }
  const read = maskStoredReply(r.reply, patterns, r.render);
  if (!read) return { response: { t: "read", id: r.id, read }, transfer: [] };
  const data = ownBuffer(read.masked.data);
  return { response: { t: "read", id: r.id, read: { ...read, masked: { ...read.masked, data } } }, transfer: transferable(data) };
}

port.on("message", (r: MaskRequest) => {
  try {
    const { response, transfer } = answer(r);
    port.postMessage(response, transfer);
  } catch (err) {
    port.postMessage({ t: "failed", id: r.id, error: (err as Error).message } satisfies MaskResponse);
  }
});
port.postMessage({ t: "ready" } satisfies MaskResponse);
