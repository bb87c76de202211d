import { describe, expect, it } from "vitest";
import { consumerSummary } from "../../testing/fixtures/consumer";
import { Hub, type HubSink } from "../hub/hub";
import { markSamplesDegraded } from "../samplers/jetstream-sampler";
import { deriveConsumerRows } from "./rows";
import { unpackEvent, type DashboardEvent, type WireEvent } from "../../lib/wire/topics";

/** The one event in a flush's frames, as the browser reads it. */
const frameEvent = (frames: string[]) => unpackEvent(JSON.parse(frames.join("").split("data: ")[1]!) as WireEvent);

const snapshot = (sampled_at: string, lags: number[]) => ({
  status: "ok" as const,
  sampled_at,
  duration_ms: 3,
  errors: [],
  consumers: lags.map((lag, i) => consumerSummary("S", `c${i}`, { lag, sampledAt: sampled_at })),
});

describe("consumer rows topic", () => {
  it("consumer rows - follow every consumers snapshot, whoever publishes it", () => {
    const hub = new Hub();
    deriveConsumerRows(hub);
    hub.publishState("consumers", snapshot("t1", [0, 5]));
    const rows = hub.getState("consumer_rows")!;
    expect(rows.meta).toEqual({ status: "ok", sampled_at: "t1", duration_ms: 3, errors: [], own_streams: [] });
    expect(rows.items.map((r) => [r.name, r.num_pending])).toEqual([
      ["c0", 0],
      ["c1", 5],
    ]);
    hub.close();
  });

  it("consumer rows - a browser gets only the changed row, and a failed sample only the degraded meta", () => {
    const hub = new Hub({ stateIntervalMs: 0 });
    deriveConsumerRows(hub);
    hub.publishState("consumers", snapshot("t1", [0, 5, 7]));
    const frames: string[] = [];
    const sink: HubSink = {
      write: (c) => frames.push(typeof c === "string" ? c : new TextDecoder().decode(c)),
      isBackedUp: () => false,
      close: () => {},
    };
    hub.subscribe(sink, ["consumer_rows"]);
    frames.length = 0;
    hub.publishState("consumers", snapshot("t2", [0, 6, 7]));
    hub.flush();
    const patch = frameEvent(frames) as Extract<DashboardEvent, { type: "state_patch" }>;
    expect(patch).toMatchObject({ type: "state_patch", topic: "consumer_rows", meta: { sampled_at: "t2" }, remove: [] });
    expect(patch.upsert.map((r) => r.name)).toEqual(["c1"]);
    frames.length = 0;
    markSamplesDegraded(hub, "NATS is down");
    hub.flush();
    expect(frameEvent(frames)).toMatchObject({
      type: "state_patch",
      meta: { status: "degraded", errors: [{ message: "NATS is down" }] },
      upsert: [],
      remove: [],
    });
    hub.close();
  });
});
