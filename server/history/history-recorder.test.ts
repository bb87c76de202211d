import { afterEach, describe, expect, it, vi } from "vitest";
import { emptyConsumersSnapshot } from "../../lib/consumers/types";
import { emptyStreamsSnapshot } from "../../lib/streams/types";
import type { HistorySample } from "../../lib/time/persisted-history";
import { createHistoryRecorder, type HistoryStore } from "./history-store";

const shownAt = (t: number) => ({
  streams: emptyStreamsSnapshot(),
  consumers: { ...emptyConsumersSnapshot(), sampled_at: new Date(t).toISOString() },
});

/** A store whose first `failures` writes fail as a publish to a killed node does. */
function flakyStore(failures: number) {
  const written: number[] = [];
  let calls = 0;
  const store = {
    async write(sample: HistorySample) {
      if (++calls <= failures) throw new Error("TIMEOUT");
      written.push(sample.t);
      return { messages: 1, bytes: 1 };
    },
  } as unknown as HistoryStore;
  return { store, written, calls: () => calls };
}

describe("history recorder", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("history recorder - a step whose write fails is written on a later attempt, once", async () => {
    vi.useFakeTimers();
    const { store, written, calls } = flakyStore(2);
    const log: string[] = [];
    const record = createHistoryRecorder({ store: async () => store, stepMs: 5_000, log: (m) => log.push(m), retryDelaysMs: [10, 20] });
    record(shownAt(1_000), true);
    record(shownAt(6_000), true); // closes the first step
    await vi.advanceTimersByTimeAsync(30);
    expect(written).toEqual([1_000]);
    expect(calls()).toBe(3);
    expect(log.filter((l) => l.includes("retrying"))).toHaveLength(2);
  });

  it("history recorder - after the last retry the step is given up with a log line saying so", async () => {
    vi.useFakeTimers();
    const { store, written } = flakyStore(10);
    const log: string[] = [];
    const record = createHistoryRecorder({ store: async () => store, stepMs: 5_000, log: (m) => log.push(m), retryDelaysMs: [10] });
    record(shownAt(1_000), true);
    record(shownAt(6_000), true);
    await vi.advanceTimersByTimeAsync(50);
    expect(written).toEqual([]);
    expect(log.at(-1)).toBe("history: write failed: TIMEOUT (after 2 attempts)");
  });
});
