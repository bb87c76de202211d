/**
 * A masking thread: masks and renders the large payloads the request thread posts (lib/masked-payload.ts), so
 * a multi-megabyte payload does not hold up every other response. Started by payload-masker.ts; imports lib/
 * only, so it needs nothing of the server's runtime.
 */
import { parentPort, workerData } from "node:worker_threads";
import { maskPayload } from "../../lib/masked-payload";
import { transferable, type MaskRequest, type MaskResponse, type MaskWorkerData } from "./mask-protocol";

const { patterns } = workerData as MaskWorkerData;
const port = parentPort!;
const reply = (m: MaskResponse, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);

port.on("message", (r: MaskRequest) => {
  try {
    const masked = maskPayload({ data: r.data, headers: r.headers }, patterns, r.render);
    reply({ t: "masked", id: r.id, masked }, transferable(masked.data));
  } catch (err) {
    reply({ t: "failed", id: r.id, error: (err as Error).message });
  }
});
reply({ t: "ready" });
