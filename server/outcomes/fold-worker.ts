/**
 * The outcome summary's thread (lib/outcomes/fold.ts OutcomeFold): folds the batches the connection's thread
 * posts and answers snapshot requests, in the order they were posted. Started by outcome-folder.ts; imports
 * lib/ only, so it needs nothing of the server's runtime.
 */
import { parentPort, workerData } from "node:worker_threads";
import { batchBuffers, OutcomeFold } from "../../lib/outcomes/fold";
import { summaryRedactor } from "../../lib/security/redaction";
import { answerFoldRequest, type FoldRequest, type FoldResponse, type FoldWorkerData } from "./fold-protocol";

const data = workerData as FoldWorkerData;
const fold = new OutcomeFold({ prefix: data.prefix, redact: summaryRedactor(data.redaction.fields, data.redaction.headers) });
/** Messages folded so far: the connection's thread reads it to bound what is in flight. */
const done = new Int32Array(data.done);
const port = parentPort!;
const reply = (m: FoldResponse, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);

port.on("message", (m: FoldRequest) => {
  const answer = answerFoldRequest(fold, m);
  if (m.t === "fold") {
    Atomics.add(done, 0, m.batch.ends.length);
    Atomics.notify(done, 0);
  }
  // a folded batch's arrays go back to be reused
  if (answer) reply(answer, answer.t === "folded" && answer.batch ? batchBuffers(answer.batch) : undefined);
});
reply({ t: "ready" });
