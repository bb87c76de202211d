import { describe, expect, it } from "vitest";
import { DEMO_CONSUMERS, METRICS_HANG_P, METRICS_POISON_P, messageClass, metricAction } from "./consumers";
import { DEFAULT_DEMO_TIMINGS, FAST_DEMO_TIMINGS, resolveTimings } from "./timings";

describe("demo consumer specs", () => {
  it("match the seed's filters, ack waits and max deliver", () => {
    expect(DEMO_CONSUMERS.map((c) => [c.name, c.stream, c.filter, c.ackWaitMs, c.maxDeliver])).toEqual([
      ["api-consumer", "routing-decisions", "routing.>", 30_000, 3],
      ["analytics-consumer", "routing-decisions", "routing.>", 60_000, 5],
      ["consolidation-consumer", "memory-events", "memory.consolidated", 120_000, 3],
      ["metrics-consumer", "llm-requests", "llm.>", 30_000, 3],
    ]);
  });
});

describe("metrics-consumer behaviour", () => {
  it("always NAKs poison and unparsable messages, never acks hanging ones", () => {
    expect(metricAction({ parsable: false, cls: 0.9, roll: 0.9 })).toBe("nak");
    expect(metricAction({ parsable: true, cls: METRICS_POISON_P / 2, roll: 0.99 })).toBe("nak");
    expect(metricAction({ parsable: true, cls: METRICS_POISON_P + METRICS_HANG_P / 2, roll: 0.99 })).toBe("ignore");
    expect(metricAction({ parsable: true, cls: 0.5, roll: 0.99 })).toBe("ack");
    expect(metricAction({ parsable: true, cls: 0.5, roll: 0.01 })).toBe("nak");
  });

  it("classifies a message the same way on every redelivery", () => {
    expect(messageClass(42, "llm-requests", 17)).toBe(messageClass(42, "llm-requests", 17));
  });
});

describe("timings", () => {
  it("fills defaults and rejects inconsistent overrides", () => {
    expect(resolveTimings()).toEqual(DEFAULT_DEMO_TIMINGS);
    expect(resolveTimings({ lockRenewMs: 500, lockTtlMs: 1500 })).toMatchObject({ lockRenewMs: 500, lockTtlMs: 1500, crashMinMs: 45_000 });
    expect(resolveTimings({ fetchExpiresMs: 10 }).fetchExpiresMs).toBe(1_000);
    expect(() => resolveTimings({ lockTtlMs: 1_000, lockRenewMs: 2_000 })).toThrow(/lockTtlMs/);
    expect(() => resolveTimings({ crashMinMs: 5, crashMaxMs: 1 })).toThrow(/crashMaxMs/);
    expect(() => resolveTimings({ ...FAST_DEMO_TIMINGS, lockPollMs: -1 })).toThrow(/lockPollMs/);
  });
});
