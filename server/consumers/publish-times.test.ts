import { describe, expect, it } from "vitest";
import type { ConsumerBase } from "../../lib/consumers/types";
import type { StreamSummary } from "../../lib/streams/types";
import { consumerSummary } from "../../testing/fixtures/consumer";
import type { ExactLookup } from "./consumer-state";
import { PublishTimes, exactForFloor } from "./publish-times";

const T0 = Date.parse("2026-11-23T00:00:00Z");

/** A stream whose first message was stored at T0 and whose last (`lastSeq`) at `lastTs`. */
const stream = (name: string, lastSeq: number, lastTs: number) =>
  ({
    name,
    state: { first_seq: 1, first_ts: new Date(T0).toISOString(), last_seq: lastSeq, last_ts: new Date(lastTs).toISOString() },
  }) as StreamSummary;

/** A lagging consumer whose ack floor is at `floor`. */
const lagging = (name: string, floor: number): ConsumerBase => {
  const c = consumerSummary("S", name, { lag: 5 });
  return { ...c, ack_floor: { ...c.ack_floor, stream_seq: floor } };
};

describe("publish times", () => {
  it("publish times - exact lookups stay within the tick's budget and are not repeated while an ack floor stays put", async () => {
    const asked: string[] = [];
    const times = new PublishTimes({
      exactFetchBudget: 2,
      fetchPublishTime: async (_stream, seq) => {
        asked.push(`seq ${seq}`);
        return { seq, ts: T0 + seq * 1000 };
      },
    });
    const consumers = [lagging("a", 10), lagging("b", 20), lagging("c", 30)];
    const states: { exact: ExactLookup | null }[] = consumers.map(() => ({ exact: null }));

    times.refresh(consumers, states);
    await times.settled();
    expect(asked).toEqual(["seq 11", "seq 21"]);
    expect(states.map((s, k) => exactForFloor(consumers[k]!, s))).toEqual([true, true, false]);

    times.refresh(consumers, states);
    await times.settled();
    times.refresh(consumers, states);
    await times.settled();
    expect(asked).toEqual(["seq 11", "seq 21", "seq 31"]);
    expect(times.oldestUnprocessedTs(consumers[2]!, states[2]!, undefined)).toBe(T0 + 31_000);
  });

  it("publish times - without an exact lookup, the oldest unprocessed message's time is interpolated from the stream's samples", () => {
    const times = new PublishTimes({});
    times.trackStreams([stream("S", 100, T0 + 100_000)]);
    const byStream = times.trackStreams([stream("S", 200, T0 + 200_000)]);
    const c = lagging("a", 149);
    expect(times.oldestUnprocessedTs(c, { exact: null }, byStream.get("S"))).toBe(T0 + 150_000);
    // a stream that is gone takes its series with it
    times.trackStreams([]);
    expect(times.oldestUnprocessedTs(c, { exact: null }, undefined)).toBeNull();
  });
});
