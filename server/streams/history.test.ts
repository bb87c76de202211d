import { afterEach, describe, expect, it } from "vitest";
import type { StreamSummary } from "../../lib/streams/types";
import { streamSummary } from "../../testing/fixtures/stream";
import { Hub } from "../hub/hub";
import { startStreamHistory, type StreamHistory } from "./history";

const summary = (name: string, sampledAt: string, msgsPerS: number | null): StreamSummary =>
  streamSummary(name, { sampled_at: sampledAt, rates: msgsPerS === null ? null : { msgs_per_s: msgsPerS, bytes_per_s: 0 } });

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
