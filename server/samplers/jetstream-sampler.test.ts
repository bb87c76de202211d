import { describe, expect, it } from "vitest";
import type { JetStreamManager, StreamInfo } from "@nats-io/jetstream";
import { Hub } from "../hub/hub";
import { createSampleTick } from "./jetstream-sampler";

const info = (name: string, messages: number): StreamInfo =>
  ({
    config: {
      name,
      subjects: [`${name}.>`],
      retention: "limits",
      storage: "file",
      num_replicas: 1,
      max_age: 0,
      max_bytes: -1,
      max_msgs: -1,
      max_msg_size: -1,
      discard: "old",
    },
    created: "2026-11-23T10:00:00Z",
    state: {
      messages,
      bytes: 100,
      first_seq: 1,
      last_seq: messages,
      first_ts: "2026-11-23T10:00:00Z",
      last_ts: "2026-11-23T10:00:00Z",
      consumer_count: 0,
    },
  }) as unknown as StreamInfo;

/** A list API whose offset paging shifted under it: ORDERS comes back on two pages. */
const shiftingLister = (pages: StreamInfo[][]) =>
  ({
    streams: { list: () => ({ next: async () => pages.shift() ?? [] }) },
    consumers: { list: () => ({ next: async () => [] }) },
  }) as unknown as JetStreamManager;

describe("jetstream sampler", () => {
  it("jetstream sampler - a stream listed twice by shifting pages is sampled once, with its later figures", async () => {
    const hub = new Hub();
    const tick = createSampleTick({
      jsm: async () => shiftingLister([[info("ORDERS", 1), info("EVENTS", 5)], [info("ORDERS", 2)]]),
      hub,
      intervalMs: 1_000,
      concurrency: 2,
    });
    await tick();
    const streams = hub.getState("streams")!.streams;
    expect(streams.map((s) => s.name).sort()).toEqual(["EVENTS", "ORDERS"]);
    expect(streams.find((s) => s.name === "ORDERS")!.state.messages).toBe(2);
    hub.close();
  });
});
