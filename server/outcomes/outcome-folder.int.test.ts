/**
 * The outcome summary's thread (outcome-folder.ts, fold-worker.ts) with a real worker thread: it folds what
 * the inline fold folds, in order, and never lets more than its limit wait.
 */
import { afterEach, describe, expect, it } from "vitest";
import { FoldBatchBuilder, type FoldBatch } from "../../lib/outcomes/fold";
import type { OutcomeStats } from "../../lib/outcomes/outcome";
import { waitFor } from "../../testing/wait-for";
import { startOutcomeFolder, type OutcomeFolder } from "./outcome-folder";

const T0 = Date.parse("2026-11-23T14:00:00.000Z");
const PREFIX = "reflex.outcome";
const enc = new TextEncoder();
const meta = { stream_available: false, history: { mode: "pending" as const } };

/** `batches` batches of `size` outcomes each; every 7th errored, every 11th malformed. */
function batches(count: number, size: number): FoldBatch[] {
  const builder = new FoldBatchBuilder();
  const out: FoldBatch[] = [];
  for (let b = 0; b < count; b++) {
    for (let i = 0; i < size; i++) {
      const n = b * size + i;
      const kind = n % 7 === 0 ? "errored" : "logged";
      const body = {
        handler_id: `h${n % 3}`,
        severity: "warn",
        kind,
        target: null,
        ...(kind === "errored" ? { diagnostic: `ValueError: ${n % 2}` } : {}),
        event: { subject: "sensory.x" },
        emitted_at: new Date(T0 + n).toISOString(),
      };
      builder.add(`${PREFIX}.h${n % 3}`, n % 11 === 0 ? enc.encode("not json") : enc.encode(JSON.stringify(body)), 0, -(n + 1), T0 + n);
    }
    out.push(builder.take()!);
  }
  return out;
}

const started: OutcomeFolder[] = [];
afterEach(() => {
  for (const f of started.splice(0)) f.stop();
});

function start(thread: "worker" | "inline", maxInFlight?: number) {
  const seen = { folded: 0, stats: null as OutcomeStats | null };
  const folder = startOutcomeFolder(
    { prefix: PREFIX, thread, maxInFlight },
    { folded: (n) => void (seen.folded += n), stats: (s) => void (seen.stats = s) },
  );
  started.push(folder);
  return { folder, seen };
}

describe("outcome folder (worker thread)", () => {
  it("outcome-folder - the thread folds the summary the inline fold gives, and a snapshot follows every batch posted before it", async () => {
    const work = start("worker");
    const inline = start("inline");
    for (const b of batches(20, 500)) work.folder.fold(b, false);
    for (const b of batches(20, 500)) inline.folder.fold(b, false);
    work.folder.snapshot(T0 + 20_000, meta);
    inline.folder.snapshot(T0 + 20_000, meta);
    const stats = await waitFor("the thread's snapshot", () => work.seen.stats);
    expect(work.folder.thread).toBe("worker");
    expect(stats.total).toBe(10_000);
    expect(stats).toEqual(inline.seen.stats);
    expect(stats.malformed).toBe(910);
    expect(work.seen.folded).toBe(10_000);
  });

  it("outcome-folder - no more than maxInFlight messages wait: fold blocks until the thread catches up", async () => {
    const peakInFlight = async (maxInFlight: number) => {
      const { folder, seen } = start("worker", maxInFlight);
      await waitFor("the thread is ready", () => (folder.snapshot(T0, meta), seen.stats));
      let peak = 0;
      for (const b of batches(30, 500)) {
        folder.fold(b, false);
        peak = Math.max(peak, folder.inFlight());
      }
      await waitFor("everything folded", () => seen.folded === 15_000);
      expect(folder.inFlight()).toBe(0);
      return peak;
    };
    // Unbounded, posting outruns folding: most of the 15,000 wait at some point.
    expect(await peakInFlight(1e9)).toBeGreaterThan(5_000);
    // Bounded: a batch is handed over whole once the wait is over, so at most the limit plus that batch.
    expect(await peakInFlight(1_000)).toBeLessThanOrEqual(1_500);
  });
});
