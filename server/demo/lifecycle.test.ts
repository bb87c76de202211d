import { describe, expect, it } from "vitest";
import { Lifecycle } from "./lifecycle";

describe("Lifecycle", () => {
  it("wakes sleepers with false and waits for every task on stop", async () => {
    const lc = new Lifecycle(() => {});
    const events: string[] = [];
    lc.spawn("loop", async () => {
      while (await lc.sleep(60_000)) events.push("tick");
      events.push("loop exited");
    });
    lc.later("never", 60_000, () => events.push("late task ran"));
    const started = Date.now();
    await lc.stop();
    expect(Date.now() - started).toBeLessThan(500);
    expect(events).toEqual(["loop exited"]);
    expect(await lc.sleep(10)).toBe(false);
  });

  it("runs stop hooks and refuses new work after stop", async () => {
    const lc = new Lifecycle(() => {});
    let hooked = 0;
    lc.onStop(() => hooked++);
    const unregister = lc.onStop(() => (hooked += 100));
    unregister();
    await lc.stop();
    let ran = false;
    lc.spawn("after", async () => {
      ran = true;
    });
    expect(hooked).toBe(1);
    expect(ran).toBe(false);
  });

  it("stops waiting on a slow request at stop, without an unhandled rejection", async () => {
    const lc = new Lifecycle(() => {});
    let reject!: (e: Error) => void;
    const slow = new Promise<number>((_, r) => (reject = r));
    let result: number | undefined | "pending" = "pending";
    lc.spawn("publisher", async () => {
      result = await lc.unlessStopped(slow);
    });
    await lc.stop();
    expect(result).toBeUndefined();
    reject(new Error("timeout after stop"));
    await expect(lc.unlessStopped(Promise.resolve(1))).resolves.toBeUndefined();
  });

  it("logs task failures and rate-limits warnings", async () => {
    const logs: string[] = [];
    const lc = new Lifecycle((m) => logs.push(m));
    lc.spawn("boom", async () => {
      throw new Error("kaput");
    });
    for (let i = 0; i < 5; i++) lc.warn("k", "same problem");
    await new Promise((r) => setTimeout(r, 5));
    await lc.stop();
    expect(logs.sort()).toEqual(["boom failed: kaput", "same problem"]);
  });

  it("debounces repair requests", async () => {
    const lc = new Lifecycle(() => {});
    let repairs = 0;
    lc.setRepair(async () => {
      repairs++;
    }, 0);
    lc.requestRepair();
    lc.requestRepair(); // ignored: one is already running
    await new Promise((r) => setTimeout(r, 5));
    lc.setRepair(async () => {
      repairs++;
    }, 60_000);
    lc.requestRepair(); // ignored: within the gap
    await lc.stop();
    expect(repairs).toBe(1);
  });
});
