/**
 * Where stored messages are masked and rendered (lib/masked-payload.ts): a payload of `offThreadBytes` or more
 * on a small pool of threads of its own, the rest on the request thread. Masking a multi-megabyte JSON payload
 * is hundreds of milliseconds of CPU; on the request thread it held up every other response, /api/health too.
 *
 * The threads start with the first large payload. Until one says it is ready, its requests wait in a queue; if
 * it fails to start they are masked inline, and once every thread has failed all masking is inline (the log
 * says so). A payload's buffer is transferred to the thread and the masked one back, not copied; a thread that
 * fails later loses what was in flight with it (those reads fail, the next ones are masked inline).
 */
import "server-only";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { maskPayload, type MaskedPayload, type RedactionPatterns } from "../../lib/masked-payload";
import type { RenderOptions } from "../../lib/payload";
import { withTsx } from "../worker-entry";
import { transferable, type MaskRequest, type MaskResponse, type MaskWorkerData } from "./mask-protocol";

/** Payloads this large or larger are masked off the request thread. */
export const OFF_THREAD_BYTES = 256 * 1024;

export type PlainMessage = { data: Uint8Array; headers: Record<string, string[]> | undefined };
export type PayloadRender = Omit<RenderOptions, "contentType">;

export interface PayloadMasker {
  /** Where large payloads are masked: on threads of their own, or this one (asked for, stopped, or after a failure). */
  readonly thread: "worker" | "inline";
  /** Whether a payload of `size` bytes goes to a thread. */
  offThread(size: number): boolean;
  /**
   * The message masked, its payload rendered when `render` is given. Takes ownership of `message.data`: a large
   * payload's buffer moves to the thread, so read its length before and don't read it after.
   */
  mask(message: PlainMessage, render: PayloadRender | null): Promise<MaskedPayload>;
  stop(): void;
}

export interface PayloadMaskerOptions {
  patterns: RedactionPatterns;
  thread?: "worker" | "inline";
  /** Threads in the pool (default: 1 or 2, leaving a core to the request thread). */
  threads?: number;
  offThreadBytes?: number;
  log?: (msg: string) => void;
  /** The thread's module, unbundled (tests point it elsewhere to see the fallback). */
  entry?: URL;
}

/** A read whose payload was on a masking thread that failed: the bytes went with it. */
export class MaskingThreadError extends Error {
  constructor(reason: string) {
    super(`the masking thread failed: ${reason}`);
    this.name = "MaskingThreadError";
  }
}

/** Masking on the request thread, with the same code as the threads. */
export function inlineMasker(patterns: RedactionPatterns): PayloadMasker {
  return {
    thread: "inline",
    offThread: () => false,
    mask: async (message, render) => maskPayload(message, patterns, render),
    stop: () => undefined,
  };
}

export function createPayloadMasker(opts: PayloadMaskerOptions): PayloadMasker {
  const inline = inlineMasker(opts.patterns);
  if (opts.thread === "inline") return inline;
  const log = opts.log ?? (() => undefined);
  const offThreadBytes = opts.offThreadBytes ?? OFF_THREAD_BYTES;
  const size = opts.threads ?? Math.max(1, Math.min(2, availableParallelism() - 1));
  /** The pool, once the first large payload came; empty once every thread has failed. */
  let pool: MaskThread[] | null = null;
  let stopped = false;
  const usable = () => !stopped && (pool === null || pool.length > 0);
  const lost = (t: MaskThread, reason: string) => {
    pool = (pool ?? []).filter((p) => p !== t);
    log(pool.length > 0 ? `a masking thread failed (${reason}); ${pool.length} left` : `masking thread failed, masking on the request thread from now on: ${reason}`);
  };
  const startPool = (): MaskThread[] => {
    const threads: MaskThread[] = [];
    for (let n = 0; n < size; n++) {
      try {
        threads.push(startThread(opts, inline, lost));
      } catch (err) {
        log(`masking thread did not start, masking on the request thread: ${(err as Error).message}`);
      }
    }
    return threads;
  };
  const offThread = (bytes: number) => bytes >= offThreadBytes && usable();
  return {
    get thread() {
      return usable() ? "worker" : "inline";
    },
    offThread,
    mask(message, render) {
      if (!offThread(message.data.length)) return inline.mask(message, render);
      pool ??= startPool();
      const least = pool.reduce<MaskThread | null>((best, t) => (!best || t.load() < best.load() ? t : best), null);
      return least ? least.mask(message, render) : inline.mask(message, render);
    },
    stop() {
      stopped = true;
      for (const t of pool ?? []) t.stop();
    },
  };
}

interface MaskThread {
  mask(message: PlainMessage, render: PayloadRender | null): Promise<MaskedPayload>;
  /** Requests queued or in flight. */
  load(): number;
  stop(): void;
}

type Job = { message: PlainMessage; render: PayloadRender | null; resolve: (m: MaskedPayload) => void; reject: (e: Error) => void };

/** Bytes whose whole buffer can be handed over: `data` itself when it spans its buffer, else one copy. */
const ownBuffer = (data: Uint8Array): Uint8Array => (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer ? data : data.slice());

function startThread(opts: PayloadMaskerOptions, inline: PayloadMasker, lost: (t: MaskThread, reason: string) => void): MaskThread {
  const workerData: MaskWorkerData = { patterns: opts.patterns };
  // Under Next (which sets NEXT_RUNTIME) the entry is the bundler's own chunk for it; unbundled, tsx loads it.
  const worker =
    process.env.NEXT_RUNTIME && !opts.entry
      ? new Worker(new URL("./mask-worker.ts", import.meta.url), { workerData })
      : new Worker(withTsx(opts.entry ?? new URL("./mask-worker.ts", import.meta.url)), { eval: true, workerData });
  worker.unref();
  let nextId = 0;
  /** Requests made before the thread was ready: posted once it is, masked inline if it never is. */
  let queued: Job[] | null = [];
  const inFlight = new Map<number, Job>();
  let done = false;

  const post = (job: Job) => {
    const id = nextId++;
    inFlight.set(id, job);
    const data = ownBuffer(job.message.data);
    const request: MaskRequest = { id, data, headers: job.message.headers, render: job.render };
    worker.postMessage(request, transferable(data));
  };
  const settle = (m: MaskResponse) => {
    if (m.t === "ready") {
      const waiting = queued ?? [];
      queued = null;
      return waiting.forEach(post);
    }
    const job = inFlight.get(m.id);
    inFlight.delete(m.id);
    if (m.t === "masked") job?.resolve(m.masked);
    else job?.reject(new Error(`masking failed: ${m.error}`));
  };
  /** Ends the thread: queued requests (still holding their bytes) are masked inline, in-flight ones fail. */
  const end = (error: Error | null) => {
    if (done) return;
    done = true;
    for (const job of queued ?? []) inline.mask(job.message, job.render).then(job.resolve, job.reject);
    queued = null;
    for (const job of inFlight.values()) job.reject(error ?? new Error("masking stopped"));
    inFlight.clear();
    void worker.terminate();
  };
  const thread: MaskThread = {
    mask: (message, render) =>
      new Promise((resolve, reject) => {
        const job = { message, render, resolve, reject };
        if (done) inline.mask(message, render).then(resolve, reject);
        else if (queued) queued.push(job);
        else post(job);
      }),
    load: () => (queued?.length ?? 0) + inFlight.size,
    stop: () => end(null),
  };
  const fail = (reason: string) => {
    if (done) return;
    end(new MaskingThreadError(reason));
    lost(thread, reason);
  };
  worker.on("message", settle);
  worker.on("error", (err) => fail(err.message));
  worker.on("exit", (code) => fail(`exited with code ${code}`));
  return thread;
}
