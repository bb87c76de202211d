import { describe, expect, it } from "vitest";
import type { StreamInfo } from "@nats-io/jetstream";
import { mapReplication, mapStream } from "./jetstream-map";

const info = (over: Partial<StreamInfo> = {}): StreamInfo =>
  ({
    config: {
      name: "ORDERS",
      subjects: ["orders.>"],
      retention: "limits",
      storage: "file",
      num_replicas: 1,
      max_age: 3_600_000_000_000,
      max_bytes: 1024,
      max_msgs: -1,
      max_msg_size: -1,
      discard: "old",
    },
    created: "2026-11-23T10:00:00Z",
    state: {
      messages: 2,
      bytes: 100,
      first_seq: 1,
      last_seq: 2,
      first_ts: "2026-11-23T10:00:00Z",
      last_ts: "0001-01-01T00:00:00Z",
      consumer_count: 0,
    },
    ...over,
  }) as unknown as StreamInfo;

describe("jetstream map (streams)", () => {
  it("jetstream map - stream limits in ms and Go's zero time as null", () => {
    const s = mapStream(info(), "2026-11-23T12:00:00Z");
    expect(s.config).toMatchObject({ max_age_ms: 3_600_000, max_bytes: 1024, max_msgs: -1, replicas: 1 });
    expect(s.state).toMatchObject({ first_ts: "2026-11-23T10:00:00Z", last_ts: null, num_subjects: 0, num_deleted: 0 });
    expect(s.replication).toEqual([]);
  });

  it("jetstream map - mirror and source lag, with -1 activity as never", () => {
    const r = mapReplication({
      mirror: { name: "ORIGIN", lag: 12, active: 2_000_000_000 } as never,
      sources: [{ name: "A", lag: 0, active: -1 } as never],
    });
    expect(r).toEqual([
      { kind: "mirror", name: "ORIGIN", lag: 12, active_ms: 2000 },
      { kind: "source", name: "A", lag: 0, active_ms: null },
    ]);
  });
});
