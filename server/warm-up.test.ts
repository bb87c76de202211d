import { afterEach, describe, expect, it, vi } from "vitest";
import { emptyConsumersSnapshot } from "../lib/consumers/types";
import { consumerSummary } from "../testing/fixtures/consumer";
import type { StreamSummary } from "../lib/streams/types";
import { Hub } from "./hub/hub";
import { firstSample, pagesToWarm } from "./warm-up";

describe("page warm-up timing", () => {
  afterEach(() => vi.useRealTimers());

  it("page warm-up - waits for the first consumers sample, not for the empty state the runtime starts with", async () => {
    const hub = new Hub();
    hub.publishState("consumers", emptyConsumersSnapshot());
    let resolved = false;
    const waiting = firstSample(hub, 60_000).then(() => (resolved = true));
    hub.publishState("streams", {
      status: "ok",
      sampled_at: "2026-12-04T14:00:00.000Z",
      duration_ms: 5,
      streams: [],
      errors: [],
      own_streams: [],
    });
    await Promise.resolve();
    expect(resolved).toBe(false);
    hub.publishState("consumers", { ...emptyConsumersSnapshot(), status: "ok", sampled_at: "2026-12-04T14:00:00.000Z" });
    await waiting;
    expect(resolved).toBe(true);
    hub.close();
  });

  it("page warm-up - gives up waiting after maxWaitMs, and does not wait when a sample is there", async () => {
    vi.useFakeTimers();
    const hub = new Hub();
    let resolved = false;
    const waiting = firstSample(hub, 60_000).then(() => (resolved = true));
    await vi.advanceTimersByTimeAsync(59_999);
    expect(resolved).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(resolved).toBe(true);
    hub.publishState("consumers", { ...emptyConsumersSnapshot(), status: "ok", sampled_at: "2026-12-04T14:00:00.000Z" });
    await firstSample(hub, 60_000); // would hang (fake timers) if it waited
    hub.close();
  });
});

describe("page warm-up pages", () => {
  it("page warm-up - the views' pages, plus one stream's, its browser's and one consumer's once the sample has them", () => {
    const hub = new Hub();
    expect(pagesToWarm(hub)).toEqual(["/", "/streams", "/consumers", "/outcomes", "/failover"]);
    hub.publishState("streams", {
      status: "ok",
      sampled_at: "2026-12-04T14:00:00.000Z",
      duration_ms: 5,
      streams: [{ name: "ORDERS v2" } as StreamSummary],
      errors: [],
      own_streams: [],
    });
    hub.publishState("consumers", {
      ...emptyConsumersSnapshot(),
      status: "ok",
      sampled_at: "2026-12-04T14:00:00.000Z",
      consumers: [consumerSummary("ORDERS v2", "worker/1")],
    });
    expect(pagesToWarm(hub).slice(5)).toEqual([
      "/streams/ORDERS%20v2",
      "/streams/ORDERS%20v2/messages",
      "/consumers/ORDERS%20v2/worker%2F1",
    ]);
    hub.close();
  });
});
