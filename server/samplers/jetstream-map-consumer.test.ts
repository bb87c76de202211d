import { describe, expect, it } from "vitest";
import type { ConsumerInfo } from "@nats-io/jetstream";
import { mapConsumer } from "./jetstream-map";

const info = (over: { num_pending?: number; ack_floor?: number; leader?: string; max_ack_pending?: number; filters?: string[] } = {}): ConsumerInfo =>
  ({
    stream_name: "ORDERS",
    name: "billing",
    created: "2026-11-23T10:00:00Z",
    config: { durable_name: "billing", ack_policy: "explicit", ack_wait: 30_000_000_000, max_deliver: 5, max_ack_pending: over.max_ack_pending ?? 1000, deliver_policy: "all", filter_subjects: over.filters ?? ["orders.paid"] },
    num_pending: over.num_pending ?? 3,
    num_ack_pending: 1,
    num_redelivered: 0,
    num_waiting: 0,
    delivered: { consumer_seq: 12, stream_seq: 12, last_active: "2026-11-23T11:00:00Z" },
    ack_floor: { consumer_seq: over.ack_floor ?? 11, stream_seq: over.ack_floor ?? 11, last_active: "0001-01-01T00:00:00Z" },
    cluster: { name: "east", leader: over.leader ?? "n1", replicas: [{ name: "n2", current: true, active: 2_000_000, lag: 0 }] },
  }) as unknown as ConsumerInfo;

describe("jetstream map (consumers)", () => {
  it("jetstream map - a consumer's unchanged parts are its previous mapping's objects, its changed parts are new", () => {
    const prev = mapConsumer(info(), "t1");
    const same = mapConsumer(info({ num_pending: 4 }), "t2", prev);
    expect(same).toEqual({ ...prev, num_pending: 4, sampled_at: "t2" });
    expect(same.config).toBe(prev.config);
    expect(same.delivered).toBe(prev.delivered);
    expect(same.ack_floor).toBe(prev.ack_floor);
    expect(same.cluster).toBe(prev.cluster);

    const moved = mapConsumer(info({ ack_floor: 12, leader: "n2", max_ack_pending: 10 }), "t3", prev);
    expect(moved).toEqual(mapConsumer(info({ ack_floor: 12, leader: "n2", max_ack_pending: 10 }), "t3"));
    expect(moved.ack_floor).not.toBe(prev.ack_floor);
    expect(moved.cluster).not.toBe(prev.cluster);
    expect(moved.config).not.toBe(prev.config);
    expect(moved.delivered).toBe(prev.delivered);
    expect(mapConsumer(info({ filters: ["orders.paid", "orders.refunded"] }), "t4", prev).config.filter_subjects).toEqual(["orders.paid", "orders.refunded"]);
  });
});
