/**
 * Owns every timer, loop and hook the demo starts, so stop() can prove nothing is left running:
 * sleeps wake early, one-shot timers are cleared, and stop() resolves only once every task has returned.
 */

import { describeError } from "../../lib/errors";

export type Logger = (msg: string) => void;

export class Lifecycle {
  private stopping = false;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly sleepers = new Set<() => void>();
  private readonly tasks = new Set<Promise<void>>();

  private readonly stopHooks = new Set<() => unknown>();
  private readonly lastWarn = new Map<string, { at: number; suppressed: number }>();

  private repair?: { fn: () => Promise<void>; minGapMs: number; lastAt: number; running: boolean };

  private wakeAll!: () => void;
  private readonly stoppedSignal = new Promise<void>((resolve) => (this.wakeAll = resolve));

  constructor(readonly log: Logger) {}

  /**
   * Awaits a NATS request unless stop() comes first. After a server crash a publish can wait out its whole
   * ack timeout; stop() should not. The request itself settles later inside the client, and is silenced here.
   */
  async unlessStopped<T>(request: Promise<T>): Promise<T | undefined> {
    request.catch(() => undefined);
    if (this.stopping) return undefined;
    return Promise.race([request, this.stoppedSignal.then(() => undefined)]);
  }

  /** What to run when a loop reports that the bus looks broken (stream deleted, server reset to a fresh store). */
  setRepair(fn: () => Promise<void>, minGapMs = 10_000): void {
    this.repair = { fn, minGapMs, lastAt: Date.now(), running: false };
  }

  /** Debounced: dozens of failing publishes per second must cost at most one repair per gap. */
  requestRepair(): void {
    const r = this.repair;
    if (!r || r.running || this.stopping || Date.now() - r.lastAt < r.minGapMs) return;
    r.running = true;
    r.lastAt = Date.now();
    this.spawn("repair", async () => {
      try {
        await r.fn();
      } finally {
        r.running = false;
        r.lastAt = Date.now();
      }
    });
  }

  get stopped(): boolean {
    return this.stopping;
  }

  /** Resolves true after `ms`, or false as soon as stop() is called — loops use the result to exit. */
  sleep(ms: number): Promise<boolean> {
    if (this.stopping) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        this.sleepers.delete(wake);
        resolve(false);
      };
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          this.sleepers.delete(wake);
          resolve(true);
        },
        Math.max(0, ms),
      );
      this.timers.add(timer);
      this.sleepers.add(wake);
    });
  }

  /** Runs a background task; its failure is logged, never thrown, and stop() waits for it. */
  spawn(name: string, fn: () => Promise<void>): void {
    if (this.stopping) return;
    const task: Promise<void> = (async () => {
      try {
        await fn();
      } catch (err) {
        if (!this.stopping) this.log(`${name} failed: ${describeError(err)}`);
      }
    })().finally(() => this.tasks.delete(task));
    this.tasks.add(task);
  }

  /** One-shot delayed task (e.g. an LLM request completing later); dropped silently if stop() comes first. */
  later(name: string, ms: number, fn: () => unknown): void {
    this.spawn(name, async () => {
      if (await this.sleep(ms)) await fn();
    });
  }

  /** Registers cleanup to run at stop (closing iterators, unsubscribing). Returns an unregister function. */
  onStop(hook: () => unknown): () => void {
    this.stopHooks.add(hook);
    return () => this.stopHooks.delete(hook);
  }

  /** Logs at most once per window per key, so a broken connection does not flood the log at 10 msgs/s. */
  warn(key: string, msg: string, windowMs = 10_000): void {
    const now = Date.now();
    const last = this.lastWarn.get(key);
    if (last && now - last.at < windowMs) {
      last.suppressed++;
      return;
    }
    const extra = last?.suppressed ? ` (${last.suppressed} similar suppressed)` : "";
    this.lastWarn.set(key, { at: now, suppressed: 0 });
    this.log(msg + extra);
  }

  async stop(): Promise<void> {
    if (this.stopping) {
      await this.drain();
      return;
    }
    this.stopping = true;
    this.wakeAll();
    for (const hook of [...this.stopHooks]) {
      try {
        await hook();
      } catch {
        // cleanup is best effort; the connection may already be gone
      }
    }
    this.stopHooks.clear();
    for (const wake of [...this.sleepers]) wake();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.drain();
  }

  private async drain(): Promise<void> {
    // Tasks may still be finishing an in-flight publish; loop because a finishing task can't spawn new ones.
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }
}
