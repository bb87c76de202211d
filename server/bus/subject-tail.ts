/**
 * The live tail of one subject, per replica: the replica a client's tail request reaches subscribes to exactly
 * that subject for as long as the client reads, whether or not it runs the subject tap (only the elected sampler
 * does, server/fleet/). Bounded like the tap: the subscription carries a server-side delivery limit re-armed every
 * second, so a flooded subject sends this replica at most TAIL_DELIVER_MAX a second per open tail, and the client
 * gets at most TAIL_MAX_RATE of them (the rest counted as skipped).
 */
import "server-only";
import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import { filterCovers } from "../../lib/bus/subjects";
import { describeError } from "../../lib/errors";
import { headersToRecord } from "../nats-headers";

/** Messages a tail holds for its client; more arriving before it reads them are counted as skipped. */
export const TAIL_KEEP = 50;
/** Messages a tail passes on per second at most (the rest skipped): a tail shows a subject, it never floods a page. */
export const TAIL_MAX_RATE = 20;
/** Messages the server sends one tail's subscription per second at most: skipped counts are exact up to this rate. */
export const TAIL_DELIVER_MAX = 10 * TAIL_MAX_RATE;

export interface TapMessage {
  subject: string;
  at: number;
  data: Uint8Array;
  headers: Record<string, string[]> | undefined;
}
export type TailItem = { type: "message"; message: TapMessage } | { type: "skipped"; count: number };

export interface SubjectTails {
  /** The configured tap subjects (a tail of anything else is refused). */
  configured: readonly string[];
  /** Whether every subject `tokens` names is within the configured subjects. */
  covers(tokens: readonly string[]): boolean;
  /** The messages on `subject` as they arrive, at most TAIL_MAX_RATE a second, until `signal` aborts. */
  tail(subject: string, signal: AbortSignal): AsyncGenerator<TailItem>;
  /** Open tails' subscriptions (each is one). */
  open(): number;
  stop(): void;
}

export interface SubjectTailsOptions {
  nc: NatsConnection;
  configured: readonly string[];
  intervalMs?: number;
  now?: () => number;
  log?: (msg: string) => void;
}

export function createSubjectTails(opts: SubjectTailsOptions): SubjectTails {
  const now = opts.now ?? Date.now;
  const intervalMs = opts.intervalMs ?? 1_000;
  const stops = new Set<() => void>();
  let stopped = false;

  async function* tail(subject: string, signal: AbortSignal): AsyncGenerator<TailItem> {
    const buf: TapMessage[] = [];
    let skipped = 0;
    let taken = 0;
    let wake: (() => void) | null = null;
    const onMessage = (err: Error | null, m: Msg) => {
      if (err) return;
      try {
        if (taken >= TAIL_MAX_RATE || buf.length >= TAIL_KEEP) skipped++;
        else {
          taken++;
          buf.push({ subject: m.subject, at: now(), data: m.data.slice(), headers: headersToRecord(m.headers) });
        }
        wake?.();
      } catch (e) {
        opts.log?.(`subject tail: ${describeError(e)}`);
      }
    };
    const subscribe = (): Subscription => {
      const s = opts.nc.subscribe(subject, { callback: onMessage });
      s.unsubscribe(TAIL_DELIVER_MAX);
      return s;
    };
    let sub = subscribe();
    const timer = setInterval(() => {
      taken = 0;
      // The limit is per second: made again when the server closed it on reaching it, else raised by one second's.
      if (sub.isClosed()) sub = subscribe();
      else sub.unsubscribe(sub.getReceived() + TAIL_DELIVER_MAX);
      wake?.();
    }, intervalMs);
    timer.unref?.();
    const end = () => wake?.();
    signal.addEventListener("abort", end);
    stops.add(end);
    try {
      while (!signal.aborted && !stopped) {
        if (skipped > 0) {
          const n = skipped;
          skipped = 0;
          yield { type: "skipped", count: n };
        }
        const m = buf.shift();
        if (m) {
          yield { type: "message", message: m };
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
    } finally {
      clearInterval(timer);
      sub.unsubscribe();
      stops.delete(end);
      signal.removeEventListener("abort", end);
    }
  }

  return {
    configured: opts.configured,
    covers: (tokens) => opts.configured.some((f) => filterCovers(f.split("."), tokens)),
    tail,
    open: () => stops.size,
    stop() {
      stopped = true;
      for (const end of stops) end();
    },
  };
}
