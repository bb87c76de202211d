/**
 * Where stored messages are masked and rendered (lib/security/masked-payload.ts): a payload of `offThreadBytes` or more
 * on a small pool of threads of its own, the rest on the request thread. Masking a multi-megabyte JSON payload
 * is hundreds of milliseconds of CPU; on the request thread it held up every other response, /api/health too.
 *
 * A thread also reads single stored messages on a connection of its own (`readStored`), so a multi-megabyte
 * message's bytes are not even received on the request thread.
 *
 * The threads start with the first large payload or stored read. Until one says it is ready, its requests wait in a queue; if
 * it fails to start they are masked inline, and once every thread has failed all masking is inline (the log
 * says so). A payload's buffer is transferred to the thread and the masked one back, not copied; a thread that
 * fails later loses what was in flight with it (those reads fail, the next ones are masked inline).
 */
import "server-only";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { maskPayload, type MaskedPayload, type RedactionPatterns } from "../../lib/security/masked-payload";
import type { RenderOptions } from "../../lib/streams/payload";
import { withTsx } from "../worker-entry";
import type { BusdeckConfig } from "../config";
import { ownBuffer, transferable, type MaskRequest, type MaskResponse, type MaskWorkerData, type StoredGet } from "./mask-protocol";
import { maskStoredReply, type MaskedRead } from "./stored-reply";
import { MaskingThreadError } from "../errors";

/** Payloads this large or larger are masked off the request thread. */
export const OFF_THREAD_BYTES = 256 * 1024;

export type PlainMessage = { data: Uint8Array; headers: Record<string, string[]> | undefined };
export type PayloadRender = Omit<RenderOptions, "contentType">;

export interface PayloadMasker {
  /** Where large payloads are masked: on threads of their own, or this one (asked for, stopped, or after a failure). */
  readonly thread: "worker" | "inline";
  /** Payloads and replies a thread has answered for since start (what /metrics and the tests read). */
  readonly maskedOnThreads: number;
  /** Whether a payload of `size` bytes goes to a thread. */
  offThread(size: number): boolean;
  /**
   * The message masked, its payload rendered when `render` is given. Takes ownership of `message.data`: a large
   * payload's buffer moves to the thread, so read its length before and don't read it after.
   */
  mask(message: PlainMessage, render: PayloadRender | null): Promise<MaskedPayload>;
  /** A stream "get message" API reply decoded and masked (stored-reply.ts); null for an error reply. Takes ownership of `reply`. */
  maskReply(reply: Uint8Array, render: PayloadRender | null): Promise<MaskedRead | null>;
  /** Whether `readStored` can be used: a thread with a connection of its own is (or may still be) available. */
  readonly readsStored: boolean;
  /** The stored message read on a thread's own connection and masked there; null for an error reply, as maskReply. */
  readStored(get: StoredGet, render: PayloadRender | null): Promise<MaskedRead | null>;
  stop(): void;
}

export interface PayloadMaskerOptions {
  patterns: RedactionPatterns;
  /** The runtime's connection settings, for the threads' reader connections (without them, they read nothing). */
  nats?: BusdeckConfig["nats"];
  thread?: "worker" | "inline";
  /** Threads in the pool (default: 1 or 2, leaving a core to the request thread). */
  threads?: number;
  offThreadBytes?: number;
  log?: (msg: string) => void;
  /** The thread's module, unbundled (tests point it elsewhere to see the fallback). */
  entry?: URL;
}

/** Masking on the request thread, with the same code as the threads. */
export function inlineMasker(patterns: RedactionPatterns): PayloadMasker {
  return {
    thread: "inline",
    maskedOnThreads: 0,
    offThread: () => false,
    mask: async (message, render) => maskPayload(message, patterns, render),
    maskReply: async (reply, render) => maskStoredReply(reply, patterns, render),
    readsStored: false,
    readStored: () => Promise.reject(new MaskingThreadError("no thread to read with")),
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
  let answered = 0;
  const usable = () => !stopped && (pool === null || pool.length > 0);
  const lost = (t: MaskThread, reason: string) => {
    pool = (pool ?? []).filter((p) => p !== t);
    log(
      pool.length > 0
        ? `a masking thread failed (${reason}); ${pool.length} left`
        : `masking thread failed, masking on the request thread from now on: ${reason}`,
    );
  };
  const startPool = (): MaskThread[] => {
    const threads: MaskThread[] = [];
    for (let n = 0; n < size; n++) {
      try {
        threads.push(startThread(opts, inline, lost, () => answered++));
      } catch (err) {
        log(`masking thread did not start, masking on the request thread: ${(err as Error).message}`);
      }
    }
    return threads;
  };
  const offThread = (bytes: number) => bytes >= offThreadBytes && usable();
  const leastBusy = (): MaskThread | null => {
    pool ??= startPool();
    return pool.reduce<MaskThread | null>((best, t) => (!best || t.load() < best.load() ? t : best), null);
  };
  return {
    get thread() {
      return usable() ? "worker" : "inline";
    },
    get maskedOnThreads() {
      return answered;
    },
    offThread,
    mask(message, render) {
      const thread = offThread(message.data.length) ? leastBusy() : null;
      return thread ? thread.mask(message, render) : inline.mask(message, render);
    },
    maskReply(reply, render) {
      const thread = offThread(reply.length) ? leastBusy() : null;
      return thread ? thread.maskReply(reply, render) : inline.maskReply(reply, render);
    },
    get readsStored() {
      return opts.nats !== undefined && usable();
    },
    readStored(get, render) {
      const thread = opts.nats && usable() ? leastBusy() : null;
      return thread ? thread.readStored(get, render) : inline.readStored(get, render);
    },
    stop() {
      stopped = true;
      for (const t of pool ?? []) t.stop();
    },
  };
}

type MaskThread = Pick<PayloadMasker, "mask" | "maskReply" | "readStored" | "stop"> & {
  /** Requests queued or in flight. */
  load(): number;
};

/** A request before it is posted (its bytes still here), with what to do with the answer. */
type Job = {
  request: DistributiveOmit<MaskRequest, "id">;
  resolve: (answer: MaskedPayload | MaskedRead | null) => void;
  reject: (e: Error) => void;
};
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** A request carried out on this thread, with the same code as the thread's (a stored read fails: the caller reads it). */
const runInline = (inline: PayloadMasker, r: Job["request"]): Promise<MaskedPayload | MaskedRead | null> =>
  r.t === "payload"
    ? inline.mask({ data: r.data, headers: r.headers }, r.render)
    : r.t === "reply"
      ? inline.maskReply(r.reply, r.render)
      : inline.readStored(r, r.render);

function startThread(
  opts: PayloadMaskerOptions,
  inline: PayloadMasker,
  lost: (t: MaskThread, reason: string) => void,
  answered: () => void,
): MaskThread {
  const workerData: MaskWorkerData = { patterns: opts.patterns, nats: opts.nats };
  // Under Next (which sets NEXT_RUNTIME) the entry is the bundler's own chunk for it; unbundled, tsx loads it.
  const worker =
    process.env.NEXT_RUNTIME && !opts.entry
      ? new Worker(new URL("./mask-worker.ts", import.meta.url), { workerData })
      : new Worker(withTsx(opts.entry ?? new URL("./mask-worker.ts", import.meta.url)), { eval: true, workerData });
  worker.unref();
  let nextId = 0;
  /** Requests made before the thread was ready: posted once it is, carried out inline if it never is. */
  let queued: Job[] | null = [];
  const inFlight = new Map<number, Job>();
  let done = false;

  const post = (job: Job) => {
    const id = nextId++;
    inFlight.set(id, job);
    const r = job.request;
    if (r.t === "get") return worker.postMessage({ ...r, id } satisfies MaskRequest);
    const bytes = ownBuffer(r.t === "payload" ? r.data : r.reply);
    const request: MaskRequest = r.t === "payload" ? { ...r, id, data: bytes } : { ...r, id, reply: bytes };
    worker.postMessage(request, transferable(bytes));
  };
  const settle = (m: MaskResponse) => {
    if (m.t === "ready") {
      const waiting = queued ?? [];
      queued = null;
      return waiting.forEach(post);
    }
    const job = inFlight.get(m.id);
    inFlight.delete(m.id);
    if (m.t !== "failed") answered();
    if (m.t === "masked") job?.resolve(m.masked);
    else if (m.t === "read") job?.resolve(m.read);
    // A stored read's failure is the NATS request's (timeout, no responders), not the masking's.
    else job?.reject(new Error(job.request.t === "get" ? m.error : `masking failed: ${m.error}`));
  };
  /** Ends the thread: queued requests (still holding their bytes) are carried out inline, in-flight ones fail. */
  const end = (error: Error | null) => {
    if (done) return;
    done = true;
    for (const job of queued ?? []) runInline(inline, job.request).then(job.resolve, job.reject);
    queued = null;
    for (const job of inFlight.values()) job.reject(error ?? new Error("masking stopped"));
    inFlight.clear();
    void worker.terminate();
  };
  const run = (request: Job["request"]) =>
    new Promise<MaskedPayload | MaskedRead | null>((resolve, reject) => {
      if (done) return void runInline(inline, request).then(resolve, reject);
      const job = { request, resolve, reject };
      if (queued) queued.push(job);
      else post(job);
    });
  const thread: MaskThread = {
    mask: (message, render) => run({ t: "payload", data: message.data, headers: message.headers, render }) as Promise<MaskedPayload>,
    maskReply: (reply, render) => run({ t: "reply", reply, render }) as Promise<MaskedRead | null>,
    readStored: (get, render) => run({ t: "get", ...get, render }) as Promise<MaskedRead | null>,
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
