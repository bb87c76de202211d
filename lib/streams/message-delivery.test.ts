import { describe, expect, it } from "vitest";
import type { DeadLetterEntry } from "../consumers/series";
import { consumerSummary } from "../../testing/fixtures/consumer";
import { messageDelivery } from "./message-delivery";

/** A consumer that acked up to #10 and delivered up to #15: #11–15 unacked. */
const consumer = (o: { redelivered?: number; ackPending?: number } = {}) => ({
  ...consumerSummary("S", "c"),
  num_ack_pending: o.ackPending ?? 5,
  num_redelivered: o.redelivered ?? 0,
  ack_floor: { consumer_seq: 10, stream_seq: 10, last_active: null },
  delivered: { consumer_seq: 15, stream_seq: 15, last_active: null },
});
const advisory = (kind: DeadLetterEntry["kind"], stream_seq: number, deliveries: number): DeadLetterEntry => ({
  at: "2026-11-23T00:00:00Z",
  kind,
  stream_seq,
  deliveries,
});

describe("message delivery", () => {
  it("message delivery - a max_deliver advisory dead-letters the message even below the ack floor", () => {
    const d = messageDelivery(9, consumer(), [advisory("naked", 9, 2), advisory("max_deliveries", 9, 3)]);
    expect(d).toMatchObject({ state: "dead_lettered", label: "dead-lettered", deliveries: { count: 3, at_least: false } });
    expect(d.reason).toBe("Past max_deliver (3): dead-lettered after 3 deliveries, the consumer will not deliver it again.");
    expect(messageDelivery(12, consumer(), [advisory("terminated", 12, 1)])).toMatchObject({
      state: "terminated",
      reason: "The handler terminated it after 1 delivery: the consumer will not deliver it again.",
    });
  });

  it("message delivery - at or below the ack floor is acked, past the delivered sequence is not delivered yet", () => {
    expect(messageDelivery(10, consumer(), [])).toMatchObject({ state: "acked", label: "acked" });
    expect(messageDelivery(16, consumer(), [advisory("max_deliveries", 9, 3)])).toMatchObject({
      state: "not_delivered",
      label: "pending",
      deliveries: { count: 0, at_least: false },
    });
  });

  it("message delivery - an unacked message's deliveries come from its NAK advisory, else from num_redelivered", () => {
    expect(messageDelivery(12, consumer({ redelivered: 1 }), [advisory("naked", 12, 1), advisory("naked", 12, 2)].reverse())).toMatchObject(
      { label: "redelivered 2 times", deliveries: { count: 3, at_least: true } },
    );
    expect(messageDelivery(12, consumer(), [])).toMatchObject({
      state: "pending_ack",
      label: "pending ack",
      deliveries: { count: 1, at_least: false },
    });
    expect(messageDelivery(12, consumer({ redelivered: 5 }), [])).toMatchObject({
      label: "redelivered",
      deliveries: { count: 2, at_least: true },
    });
    expect(messageDelivery(12, consumer({ redelivered: 2 }), [])).toMatchObject({
      label: "pending ack",
      deliveries: { count: 1, at_least: true },
    });
  });
});
