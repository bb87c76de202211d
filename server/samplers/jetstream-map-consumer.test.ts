import { describe, expect, it } from "vitest";
import type { ConsumerInfo } from "@nats-io/jetstream";
import { mapConsumer } from "./jetstream-map";

const info = (
  over: { num_pending?: number; ack_floor?: number; leader?: string; max_ack_pending?: number; filters?: string[] } = {},
): ConsumerInfo =>
  ({
    stream_name: "ORDERS",
    name: "billing",
    created: "2026-11-23T10:00:00Z",
    config: {
      durable_name: "billing",
      ack_policy: "explicit",
      ack_wait: 30_000_000_000,
      max_deliver: 5,
      max_ack_pending: over.max_ack_pending ?? 1000,
      deliver_policy: "all",
      filter_subjects: over.filters ?? ["orders.paid"],
    },
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
    expect(mapConsumer(info({ filters: ["orders.paid", "orders.refunded"] }), "t4", prev).config.filter_subjects).toEqual([
      "orders.paid",
      "orders.refunded",
    ]);
  });

  it("jetstream map - any field that differs from the previous mapping gives a new part with the new value", () => {
    const base = info() as unknown as Record<string, unknown> & {
      config: Record<string, unknown>;
      cluster: { replicas: Record<string, unknown>[] };
    };
    const prev = mapConsumer(base as unknown as ConsumerInfo, "t1");
    const changes: [string, (i: typeof base) => void, (m: ReturnType<typeof mapConsumer>) => unknown][] = [
      ["description", (i) => (i.config.description = "new"), (m) => m.config.description],
      ["ack_wait", (i) => (i.config.ack_wait = 5_000_000_000), (m) => m.config.ack_wait_ms],
      ["max_deliver", (i) => (i.config.max_deliver = 9), (m) => m.config.max_deliver],
      ["deliver_policy", (i) => (i.config.deliver_policy = "new"), (m) => m.config.deliver_policy],
      ["push", (i) => (i.config.deliver_subject = "push.to"), (m) => m.config.push],
      ["paused", (i) => (i.paused = true), (m) => m.config.paused],
      [
        "monitor metadata",
        (i) => (i.config.metadata = { "io.nats.monitor.outstanding-ack-critical": "10" }),
        (m) => m.config.monitor_metadata,
      ],
      [
        "one filter_subject",
        (i) => ((i.config.filter_subjects = undefined), (i.config.filter_subject = "orders.other")),
        (m) => m.config.filter_subjects,
      ],
      ["replica lag", (i) => (i.cluster.replicas[0]!.lag = 7), (m) => m.cluster!.replicas[0]!.lag],
      ["replica offline", (i) => (i.cluster.replicas[0]!.offline = true), (m) => m.cluster!.replicas[0]!.offline],
      ["delivered", (i) => ((i.delivered as Record<string, unknown>).last_active = "2026-11-23T11:00:01Z"), (m) => m.delivered.last_active],
    ];
    for (const [what, change, read] of changes) {
      const next = structuredClone(base);
      change(next);
      const mapped = mapConsumer(next as unknown as ConsumerInfo, "t2", prev);
      expect(mapped, what).toEqual(mapConsumer(next as unknown as ConsumerInfo, "t2"));
      expect(read(mapped), what).not.toEqual(read(prev));
    }
    // one filter_subject equal to the one filter_subjects entry maps the same: kept
    const single = structuredClone(base);
    single.config.filter_subjects = undefined;
    single.config.filter_subject = "orders.paid";
    expect(mapConsumer(single as unknown as ConsumerInfo, "t2", prev).config).toBe(prev.config);
  });

  it("jetstream map - only the io.nats.monitor keys of a consumer's metadata are kept; without any there is no field", () => {
    const withMeta = info() as unknown as { config: Record<string, unknown> };
    withMeta.config.metadata = { owner: "billing-team", "io.nats.monitor.last-ack-critical": "5m" };
    const mapped = mapConsumer(withMeta as unknown as ConsumerInfo, "t1");
    expect(mapped.config.monitor_metadata).toEqual({ "io.nats.monitor.last-ack-critical": "5m" });
    expect(mapConsumer(withMeta as unknown as ConsumerInfo, "t2", mapped).config).toBe(mapped.config);
    withMeta.config.metadata = { owner: "billing-team" };
    expect("monitor_metadata" in mapConsumer(withMeta as unknown as ConsumerInfo, "t3").config).toBe(false);
  });
});
