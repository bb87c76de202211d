/**
 * Where outcome ingest folds its summary (lib/outcomes/fold.ts): on a worker thread of its own by default.
 *
 * Parsing and validating is most of ingest's CPU: on the connection's thread it would cap ingest at one core and,
 * under a flood, hold up every HTTP and SSE response queued behind it. On a thread of its own the connection's
 * thread reads the socket and keeps the feed, and the two run side by side
 * (docs/architecture.md#the-outcome-fold-thread).
 *
 * Back-pressure: the connection's thread never lets more than `maxInFlight` messages wait for the fold. Past
 * that it blocks (Atomics.wait) until the fold catches up — what a single thread did by being busy — so a
 * flood slows reading the socket (nats-server then applies its slow-consumer rules) instead of growing memory.
 *
 * Until the thread says it is ready, requests wait in a queue; if it fails to start they are folded inline,
 * and from then on the fold runs inline with the same code (the log says so). A thread that fails later
 * loses what was in flight with it.
 */
import { Worker } from "node:worker_threads";
import { Gauge, type Registry } from "prom-client";
import { batchBuffers, OutcomeFold, type FoldBatch } from "../../lib/outcomes/fold";
import type { OutcomeRollup } from "../../lib/outcomes/rollup";
import type { OutcomeStats } from "../../lib/outcomes/outcome";
import { summaryRedactor } from "../../lib/security/redaction";
import { serverRedaction } from "../redaction";
import { withTsx } from "../worker-entry";
import { answerFoldRequest, type FoldRequest, type FoldResponse, type FoldWorkerData, type SnapshotMeta } from "./fold-protocol";

export interface OutcomeFolder {
  /** Where the fold runs: its own thread, or this one (the fallback, or asked for). */
  readonly thread: "worker" | "inline";
  /** Results arrive through FolderEvents.folded, in order. */
  fold(batch: FoldBatch, rollups: boolean): void;
  addRollups(rollups: OutcomeRollup[]): void;
  closeIfIdle(now: number, streamLastSeq: number): void;
  /** The snapshot arrives through FolderEvents.stats, after every batch folded before it. */
  snapshot(now: number, meta: SnapshotMeta): void;
  /** Messages handed over and not folded yet (always 0 inline). */
  inFlight(): number;
  stop(): void;
}

export interface FolderEvents {
  /**
   * `count` messages were folded; `rollups` are the minutes that closed (to be stored); `batch` is the folded
   * batch, its arrays free for reuse (FoldBatchBuilder.recycle).
   */
  folded(count: number, rollups: OutcomeRollup[], batch?: FoldBatch): void;
  stats(stats: OutcomeStats): void;
}

/** The fold's figures on busdeck's /metrics: where it runs, and how many messages wait for it. */
export function registerOutcomeFoldMetrics(
  registry: Registry,
  ingest: () => { readonly foldThread: OutcomeFolder["thread"]; foldBacklog(): number } | null,
): void {
  new Gauge({
    name: "busdeck_outcome_fold_thread",
    help: "Where the reflex outcome summary is folded: 1 for the current place (worker = its own thread, inline = the connection's thread, after a failure)",
    labelNames: ["thread"],
    registers: [registry],
    collect(this: Gauge<"thread">) {
      this.reset();
      const i = ingest();
      if (i) this.set({ thread: i.foldThread }, 1);
    },
  });
  new Gauge({
    name: "busdeck_outcome_fold_backlog",
    help: "Reflex outcomes received and not folded into the summary yet (past 100,000 ingest waits for the fold)",
    registers: [registry],
    collect(this: Gauge) {
      this.set(ingest()?.foldBacklog() ?? 0);
    },
  });
}

export interface OutcomeFolderOptions {
  prefix: string;
  thread?: "worker" | "inline";
  /** Messages posted to the thread and not folded yet, at most (about a second at 100,000/s). */
  maxInFlight?: number;
  log?: (msg: string) => void;
}

export function startOutcomeFolder(opts: OutcomeFolderOptions, events: FolderEvents): OutcomeFolder {
  const log = opts.log ?? (() => undefined);
  if (opts.thread === "inline") return inlineFolder(opts.prefix, events);
  try {
    return workerFolder(opts, events, log);
  } catch (err) {
    log(`outcome summary thread did not start, folding on the connection's thread: ${(err as Error).message}`);
    return inlineFolder(opts.prefix, events);
  }
}

/** What the thread (or the inline fold) answered, handed to the events. */
function deliverTo(events: FolderEvents): (m: FoldResponse) => void {
  return (m) => {
    if (m.t === "folded") events.folded(m.count, m.rollups, m.batch);
    else if (m.t === "stats") events.stats(m.stats);
  };
}

/** Requests carried out on this thread, with the same code and answers as the fold's own thread. */
function foldInline(prefix: string, events: FolderEvents): (r: FoldRequest) => void {
  const c = serverRedaction();
  const fold = new OutcomeFold({ prefix, redact: summaryRedactor(c.fields, c.headers) });
  const deliver = deliverTo(events);
  return (r) => {
    const answer = answerFoldRequest(fold, r);
    if (answer) deliver(answer);
  };
}

/** The calls that are requests and nothing else, made through `request`. */
function requestCalls(request: (r: FoldRequest) => void): Pick<OutcomeFolder, "addRollups" | "closeIfIdle" | "snapshot"> {
  return {
    addRollups: (rollups) => request({ t: "rollups", rollups }),
    closeIfIdle: (now, streamLastSeq) => request({ t: "close-if-idle", now, streamLastSeq }),
    snapshot: (now, meta) => request({ t: "snapshot", now, meta }),
  };
}

function inlineFolder(prefix: string, events: FolderEvents): OutcomeFolder {
  const request = foldInline(prefix, events);
  return {
    thread: "inline",
    fold: (batch, rollups) => request({ t: "fold", batch, rollups }),
    ...requestCalls(request),
    inFlight: () => 0,
    stop: () => undefined,
  };
}

function workerFolder(opts: OutcomeFolderOptions, events: FolderEvents, log: (msg: string) => void): OutcomeFolder {
  const maxInFlight = opts.maxInFlight ?? 100_000;
  const c = serverRedaction();
  const workerData: FoldWorkerData = {
    prefix: opts.prefix,
    redaction: { fields: c.fields, headers: c.headers },
    done: new SharedArrayBuffer(4),
  };
  const done = new Int32Array(workerData.done);
  // Under Next (which sets NEXT_RUNTIME) the entry is the bundler's own chunk for it. Unbundled (tests,
  // benches) it is TypeScript, which a worker thread loads only once tsx is registered in it: a parent's
  // `--import tsx` does not carry over.
  const worker = process.env.NEXT_RUNTIME
    ? new Worker(new URL("./fold-worker.ts", import.meta.url), { workerData })
    : new Worker(withTsx(new URL("./fold-worker.ts", import.meta.url)), { eval: true, workerData });
  worker.unref();
  /** Messages posted, wrapping like the thread's Int32 count. */
  let sent = 0;
  let stopped = false;
  /** The inline fold, once the thread has failed. */
  let fallback: ((r: FoldRequest) => void) | null = null;
  /** Requests made before the thread was ready: posted once it is, folded inline if it never is. */
  let queued: FoldRequest[] | null = [];
  const post = (m: FoldRequest) => {
    if (queued) queued.push(m);
    else worker.postMessage(m, m.t === "fold" ? batchBuffers(m.batch) : undefined);
  };

  const deliver = deliverTo(events);
  worker.on("message", (m: FoldResponse) => {
    if (m.t !== "ready") return deliver(m);
    const waiting = queued ?? [];
    queued = null;
    for (const r of waiting) post(r);
  });
  const fail = (reason: string) => {
    if (stopped || fallback) return;
    log(`outcome summary thread failed, folding on the connection's thread from now on: ${reason}`);
    const inline = foldInline(opts.prefix, events);
    for (const r of queued ?? []) inline(r);
    queued = null;
    fallback = inline;
  };
  worker.on("error", (err) => fail(err.message));
  /** A request to the thread, or to the inline fold once the thread has failed. */
  const request = (r: FoldRequest) => (fallback ? fallback(r) : post(r));
  worker.on("exit", (code) => fail(`exited with code ${code}`));

  /** Blocks while too much is in flight, for up to 2 s at a time: a stuck thread must not stop this one. */
  const waitForRoom = () => {
    const deadline = Date.now() + 2_000;
    for (;;) {
      const folded = Atomics.load(done, 0);
      if (((sent - folded) | 0) <= maxInFlight || Date.now() > deadline) return;
      Atomics.wait(done, 0, folded, 50);
    }
  };

  return {
    get thread() {
      return fallback ? "inline" : "worker";
    },
    fold(batch, rollups) {
      if (!fallback) {
        if (!queued) waitForRoom();
        sent = (sent + batch.ends.length) | 0;
      }
      request({ t: "fold", batch, rollups });
    },
    ...requestCalls(request),
    inFlight: () => (fallback ? 0 : (sent - Atomics.load(done, 0)) | 0),
    stop() {
      stopped = true;
      void worker.terminate();
    },
  };
}
