import { describe, expect, it } from "vitest";
import { toConsumerRow } from "./consumers";
import { consumerSummary } from "./fixtures/consumer";
import { jsonEqual } from "./json-equal";

describe("consumer rows", () => {
  it("consumer rows - a row carries the list columns and leaves the detail out", () => {
    const row = toConsumerRow(consumerSummary("S", "a", { status: "WARN", lag: 12, lagSeconds: 3.5 }));
    expect(row).toMatchObject({ stream: "S", name: "a", num_pending: 12, config: { max_ack_pending: 1000, filter_subjects: [] }, ack_floor: { stream_seq: 0 } });
    expect(row.insight).toMatchObject({ lag_seconds: 3.5, health: { status: "WARN" }, drain: { state: "never" } });
    expect(Object.keys(row)).not.toContain("sampled_at");
    expect(Object.keys(row.insight!)).not.toContain("diagnoses");
    expect(Object.keys(row.config)).not.toContain("ack_wait_ms");
  });

  it("consumer rows - a new sample that moves no column gives an equal row, so the hub sends nothing for it", () => {
    const before = consumerSummary("S", "a", { lag: 4, sampledAt: "2026-11-23T00:00:00Z" });
    const after = { ...consumerSummary("S", "a", { lag: 4, sampledAt: "2026-11-23T00:00:01Z" }), delivered: { consumer_seq: 9, stream_seq: 9, last_active: "2026-11-23T00:00:01Z" } };
    expect(jsonEqual(toConsumerRow(before), toConsumerRow(after))).toBe(true);
    expect(jsonEqual(toConsumerRow(before), toConsumerRow(consumerSummary("S", "a", { lag: 5 })))).toBe(false);
  });

  it("consumer rows - a clustered consumer keeps its leader, for the failover view", () => {
    const c = { ...consumerSummary("S", "a"), cluster: { name: "c1", leader: "n2", replicas: [] } };
    expect(toConsumerRow(c).cluster).toEqual({ leader: "n2" });
  });
});
