import { describe, expect, it } from "vitest";
import { evaluateBusHealth, evaluateServerHealth, META_CHANGE_WINDOW_MS, SLOW_CONSUMER_WINDOW_MS, worstBusVerdict } from "./health";
import type { BusServerRow, JetStreamUsage } from "./servers";

const NOW = Date.parse("2026-12-07T10:00:00Z");
const GiB = 1024 ** 3;

type Facts = Parameters<typeof evaluateServerHealth>[0];
const healthy: Facts = {
  state: "up",
  missed: 0,
  last_seen: new Date(NOW).toISOString(),
  error: null,
  healthz: { status: "ok", error: null },
  routes: [{ name: "b", up: true, rtt_ms: 1, pending_bytes: 0 }],
  gateways: [],
  jetstream: null,
  slow_consumers: 0,
  slow_consumers_before: null,
  slow_consumers_rose_at: null,
};
const js = (over: Partial<JetStreamUsage>): JetStreamUsage => ({
  memory: 0,
  storage: 0,
  max_memory: GiB,
  max_storage: 10 * GiB,
  reserved_memory: 0,
  reserved_storage: 0,
  meta_leader: null,
  cluster_size: null,
  streams: null,
  consumers: null,
  ...over,
});
const verdict = (over: Partial<Facts>) => evaluateServerHealth({ ...healthy, ...over }, NOW);

describe("bus health", () => {
  it("bus health - a healthy server is OK", () => {
    expect(verdict({})).toMatchObject({ status: "OK", rule: "healthy" });
  });

  it("bus health - down wins over everything, with the samples missed and when it was last seen", () => {
    const v = verdict({
      state: "down",
      missed: 2,
      last_seen: new Date(NOW - 2000).toISOString(),
      healthz: { status: "unavailable", error: "x" },
    });
    expect(v).toMatchObject({ status: "ERR", rule: "server_down" });
    expect(v.evidence).toMatch(/no answer in 2 samples; last seen 2(\.0)?\s?s ago/);
  });

  it("bus health - healthz not ok is ERR with what it said", () => {
    expect(verdict({ healthz: { status: "unavailable", error: "JetStream stream catchup" } })).toEqual({
      status: "ERR",
      rule: "not_healthy",
      evidence: "healthz: unavailable (JetStream stream catchup)",
    });
  });

  it("bus health - a route or gateway down is ERR naming the peer", () => {
    expect(verdict({ routes: [{ name: "b", up: false, rtt_ms: null, pending_bytes: null }] })).toMatchObject({
      rule: "route_down",
      evidence: "route to b down",
    });
    expect(verdict({ gateways: [{ name: "east", up: false, rtt_ms: null, pending_bytes: null }] })).toMatchObject({
      rule: "gateway_down",
      evidence: "gateway to east down",
    });
  });

  it("bus health - storage: 79 % is fine, 80 % of the limit warns, for file and memory alike", () => {
    expect(verdict({ jetstream: js({ storage: 7.9 * GiB }) }).rule).toBe("healthy");
    expect(verdict({ jetstream: js({ storage: 8 * GiB }) })).toMatchObject({
      status: "WARN",
      rule: "storage_high",
      evidence: expect.stringMatching(/^file storage 80 % of 10/),
    });
    expect(verdict({ jetstream: js({ memory: 0.9 * GiB }) })).toMatchObject({
      rule: "storage_high",
      evidence: expect.stringMatching(/^memory storage 90 %/),
    });
  });

  it("bus health - accounts' reservations taking 80 % of a limit warn even while little is used", () => {
    expect(verdict({ jetstream: js({ reserved_storage: 8 * GiB }) })).toMatchObject({ status: "WARN", rule: "reservations_high" });
    expect(verdict({ jetstream: js({ reserved_storage: 7 * GiB }) }).rule).toBe("healthy");
  });

  it("bus health - no limit known (0 = unlimited) never warns on storage", () => {
    expect(verdict({ jetstream: js({ storage: 100 * GiB, max_storage: null }) }).rule).toBe("healthy");
  });

  it("bus health - slow consumers rising warn within the window, not after it", () => {
    const rose = { slow_consumers: 5, slow_consumers_before: 3 };
    expect(verdict({ ...rose, slow_consumers_rose_at: NOW - SLOW_CONSUMER_WINDOW_MS })).toMatchObject({
      status: "WARN",
      rule: "slow_consumers",
      evidence: expect.stringMatching(/^slow consumers 3 → 5/),
    });
    expect(verdict({ ...rose, slow_consumers_rose_at: NOW - SLOW_CONSUMER_WINDOW_MS - 1 }).rule).toBe("healthy");
  });

  it("bus health - a stale reading warns with its error", () => {
    expect(verdict({ state: "stale", error: "jsz: timeout" })).toEqual({ status: "WARN", rule: "stale", evidence: "jsz: timeout" });
  });

  const row = (name: string, version: string, state: BusServerRow["state"] = "up") => ({ name, version, state }) as BusServerRow;
  const bus = { meta_leader: "a", meta_leader_before: null, meta_leader_changed_at: null };

  it("bus health - version skew across answering servers warns, naming who runs what; a down server does not count", () => {
    const skew = evaluateBusHealth({ ...bus, servers: [row("a", "2.9.10"), row("b", "2.10.1"), row("c", "2.9.10")] }, NOW);
    expect(skew).toEqual([{ status: "WARN", rule: "version_skew", evidence: "v2.9.10 on a, c; v2.10.1 on b" }]);
    expect(evaluateBusHealth({ ...bus, servers: [row("a", "2.9.10"), row("b", "2.10.1", "down")] }, NOW)).toEqual([]);
  });

  it("bus health - a meta-leader change warns for its window", () => {
    const changed = { ...bus, servers: [], meta_leader_before: "b", meta_leader_changed_at: NOW - META_CHANGE_WINDOW_MS };
    expect(evaluateBusHealth(changed, NOW)[0]).toMatchObject({
      rule: "meta_leader_changed",
      evidence: expect.stringMatching(/^meta leader b → a/),
    });
    expect(evaluateBusHealth(changed, NOW + 1)).toEqual([]);
  });

  it("bus health - the worst verdict of servers and bus findings", () => {
    const ok = { status: "OK", rule: "healthy", evidence: "" } as const;
    const warn = { status: "WARN", rule: "version_skew", evidence: "" } as const;
    const err = { status: "ERR", rule: "server_down", evidence: "" } as const;
    expect(worstBusVerdict({ servers: [{ health: ok } as BusServerRow], findings: [warn] })).toBe(warn);
    expect(worstBusVerdict({ servers: [{ health: err } as BusServerRow], findings: [warn] })).toBe(err);
    expect(worstBusVerdict({ servers: [], findings: [] })).toBeNull();
  });
});
