/**
 * The outcome summary's thread (lib/outcome-fold.ts OutcomeFold): folds the batches the connection's thread
 * posts and answers snapshot requests, in the order they were posted. Started by outcome-folder.ts; imports
 * lib/ only, so it needs nothing of the server's runtime.
 */
import { parentPort, workerData } from "node:worker_threads";
import { batchBuffers, OutcomeFold } from "../../lib/outcome-fold";
import { summaryRedactor } from "../../lib/redaction";
import type { FoldRequest, FoldResponse, FoldWorkerData } from "./fold-protocol";

const data = workerData as FoldWorkerData;
const fold = new OutcomeFold({ prefix: data.prefix, redact: summaryRedactor(data.redaction.fields, data.redaction.headers) });
/** Messages folded so far: the connection's thread reads it to bound what is in flight. */
const done = new Int32Array(data.done);
const port = parentPort!;
const reply = (m: FoldResponse, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);

port.on("message", (m: FoldRequest) => {
  switch (m.t) {
    case "fold": {
      const rollups = fold.fold(m.batch, m.rollups);
      Atomics.add(done, 0, m.batch.ends.length);
      Atomics.notify(done, 0);
      reply({ t: "folded", count: m.batch.ends.length, rollups, batch: m.batch }, batchBuffers(m.batch));
      break;
    }
    case "rollups":
      fold.addRollups(m.rollups);
      break;
    case "close-if-idle":
      reply({ t: "folded", count: 0, rollups: fold.closeIfIdle(m.now, m.streamLastSeq) });
      break;
    case "snapshot":
      reply({ t: "stats", stats: fold.snapshot(m.now, m.meta) });
      break;
  }
});
reply({ t: "ready" });
