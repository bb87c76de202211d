import { afterEach, describe, expect, it } from "vitest";
import type { StreamSummary } from "../../lib/streams/types";
import { Hub } from "../hub/hub";
import { startStreamHistory, type StreamHistory } from "./history";

function summary(name: string, sampledAt: string, msgsPerS: number | null): StreamSummary {
  return {
    name,
    created: "2026-11-23T10:00:00Z",
    config: {
      subjects: [],
      retention: "limits",
      storage: "file",
      replicas: 1,
      max_age_ms: 0,
      max_bytes: -1,
      max_msgs: -1,
      max_msg_size: -1,
      discard: "old",
      description: null,
      mirror: null,
      sources: [],
    },
    state: {
      messages: 1,
      bytes: 1,
      first_seq: 1,
      last_seq: 1,
      first_ts: null,
      last_ts: null,
      num_subjects: 1,
      num_deleted: 0,
      consumer_count: 0,
    },
    cluster: null,
    rates: msgsPerS === null ? null : { msgs_per_s: msgsPerS, bytes_per_s: 0 },
    sampled_at: sampledAt,
  };
}

describe("stream history", () => {
  let history: StreamHistory | undefined;
  afterEach(() => history?.stop());

  it("stream history - records each sample's rates per stream, bounded, and forgets removed streams", () => {
    const hub = new Hub();
    history = startStreamHistory(hub, 2);
    const publish = (at: string, streams: StreamSummary[]) =>
      hub.publishState("streams", { status: "ok", sampled_at: at, duration_ms: 1, streams, errors: [], own_streams: [] });
    publish("2026-11-23T12:00:00Z", [summary("a", "2026-11-23T12:00:00Z", null), summary("b", "2026-11-23T12:00:00Z", null)]);
    expect(history.get("a")).toEqual([]);
    for (let s = 1; s <= 3; s++) {
      const at = `2026-11-23T12:00:0${s}Z`;
      publish(at, [summary("a", at, s), summary("b", at, 10 * s)]);
    }
    expect(history.get("a").map((p) => p.msgs_per_s)).toEqual([2, 3]);
    publish("2026-11-23T12:00:04Z", [summary("a", "2026-11-23T12:00:04Z", 4)]);
    expect(history.get("b")).toEqual([]);
    expect(history.get("a").map((p) => p.msgs_per_s)).toEqual([3, 4]);
    hub.close();
  });
});
