import { afterEach, describe, expect, it, vi } from "vitest";
import { restartWhenStalled } from "./lock-watcher";

describe("lock watcher stall detection", () => {
  afterEach(() => vi.useRealTimers());

  const run = async (lastSeqs: (number | null)[], seen: () => number) => {
    vi.useFakeTimers();
    let i = 0;
    const restart = vi.fn();
    const stop = restartWhenStalled(
      async () => {
        const v = lastSeqs[Math.min(i++, lastSeqs.length - 1)];
        if (v === null) throw new Error("bucket unreachable");
        return v!;
      },
      seen,
      restart,
      1_000,
      2_500,
    );
    for (let t = 0; t < lastSeqs.length; t++) await vi.advanceTimersByTimeAsync(1_000);
    stop();
    return restart;
  };

  it("lock watcher stall - restarts once the bucket stays ahead of the watch for the stall window", async () => {
    expect(await run([10, 11, 12, 13, 14, 15], () => 9)).toHaveBeenCalledTimes(1);
  });

  it("lock watcher stall - a watch that keeps up, or catches up in time, is left alone", async () => {
    let seen = 9;
    const restart = await run([10, 10, 10, 10, 10], () => (seen = Math.min(10, seen + 1)));
    expect(restart).not.toHaveBeenCalled();
  });

  it("lock watcher stall - an unreachable bucket is not a stall", async () => {
    expect(await run([null, null, null, null, null, null], () => 0)).not.toHaveBeenCalled();
  });
});
