/**
 * Applies a stream's events at most once per interval, in order: an event after a quiet spell is applied at
 * once, and a burst within the interval waits for its end and is applied in one go. In the browser each apply
 * is a React render of the views that read the topic; the hub sends a feed's items as they arrive (up to a few
 * hundred frames a second under a flood), which no one reads faster than a screen refreshes.
 */
export interface EventPacer<E> {
  push(event: E): void;
  /** Drops what is queued and the pending apply (the stream is closed). */
  stop(): void;
}

export interface PacerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: PacerClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createEventPacer<E>(apply: (events: readonly E[]) => void, everyMs: number, clock: PacerClock = realClock): EventPacer<E> {
  let queue: E[] = [];
  let timer: unknown = null;
  let lastApplied = -Infinity;
  const flush = () => {
    timer = null;
    lastApplied = clock.now();
    const events = queue;
    queue = [];
    apply(events);
  };
  return {
    push(event) {
      queue.push(event);
      if (timer !== null) return;
      const wait = lastApplied + everyMs - clock.now();
      if (wait <= 0) flush();
      else timer = clock.setTimeout(flush, wait);
    },
    stop() {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      queue = [];
    },
  };
}
