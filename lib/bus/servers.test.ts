import { describe, expect, it } from "vitest";
import type { Reply, ServerReplies } from "./replies";
import { evaluateBusHealth } from "./health";
import {
  emptyBusServersSnapshot,
  foldBusSample,
  ratesBetween,
  CONFIGURE_HINT,
  type BusServersSnapshot,
  type ObservedServer,
} from "./servers";

const T0 = Date.parse("2026-12-07T10:00:00Z");

function varz(name: string, over: Partial<Reply<"VARZ">> = {}): Reply<"VARZ"> {
  return {
    server_id: `ID-${name}`,
    server_name: name,
    version: "2.9.10",
    connections: 1,
    subscriptions: 10,
    slow_consumers: 0,
    in_msgs: 0,
    out_msgs: 0,
    in_bytes: 0,
    out_bytes: 0,
    cluster: { name: "c" },
    ...over,
  };
}

function observed(name: string, replies: Partial<ServerReplies>, reachable = true): ObservedServer {
  return { key: name, id: `ID-${name}`, reachable, replies: { errors: {}, ...replies } };
}

const routez = (...peers: string[]): Reply<"ROUTEZ"> => ({ routes: peers.map((p) => ({ remote_id: `ID-${p}`, rtt: "1ms" })) });

function fold(prev: BusServersSnapshot, at: number, servers: ObservedServer[], error?: string) {
  return foldBusSample(prev, { at, source: "system", servers, error }, evaluateBusHealth);
}

describe("bus servers", () => {
  it("bus servers - without a source the snapshot says exactly what to configure", () => {
    expect(emptyBusServersSnapshot(null).configure).toBe(CONFIGURE_HINT);
    expect(CONFIGURE_HINT).toMatch(/NATS_SYSTEM_CREDS.*NATS_SYSTEM_USER.*NATS_SYSTEM_PASSWORD.*BUSDECK_MONITOR_URLS/);
    expect(emptyBusServersSnapshot("system").configure).toBeNull();
  });

  it("bus servers - rates per second from two readings of the counters", () => {
    const s1 = fold(emptyBusServersSnapshot("system"), T0, [
      observed("a", { VARZ: varz("a", { in_msgs: 100, in_bytes: 1000, now: new Date(T0).toISOString() }) }),
    ]);
    expect(s1.servers[0]!.rates).toBeNull();
    const s2 = fold(s1, T0 + 2000, [
      observed("a", { VARZ: varz("a", { in_msgs: 300, in_bytes: 5000, out_msgs: 10, now: new Date(T0 + 2000).toISOString() }) }),
    ]);
    expect(s2.servers[0]!.rates).toEqual({ in_msgs: 100, in_bytes: 2000, out_msgs: 5, out_bytes: 0 });
  });

  it("bus servers - a counter that went back (a restart) gives no rate rather than a negative one", () => {
    const at = (t: number) => ({ in_msgs: 10, out_msgs: 10, in_bytes: 10, out_bytes: 10, at: t });
    expect(ratesBetween(at(0), { ...at(1000), in_msgs: 5 })).toBeNull();
    expect(ratesBetween(at(1000), at(1000))).toBeNull();
    expect(ratesBetween(null, at(1000))).toBeNull();
  });

  it("bus servers - a server that stops answering is stale after one sample and down after two, keeping its figures", () => {
    let s = fold(emptyBusServersSnapshot("system"), T0, [
      observed("a", { VARZ: varz("a", { connections: 7 }) }),
      observed("b", { VARZ: varz("b") }),
    ]);
    s = fold(s, T0 + 1000, [observed("a", { VARZ: varz("a") })]);
    expect(s.servers.find((x) => x.name === "b")).toMatchObject({ state: "stale", missed: 1 });
    s = fold(s, T0 + 2000, [observed("a", { VARZ: varz("a") })]);
    const b = s.servers.find((x) => x.name === "b")!;
    expect(b).toMatchObject({ state: "down", missed: 2, connections: 1, error: "no answer in the last 2 samples" });
    expect(b.health).toMatchObject({ status: "ERR", rule: "server_down" });
    s = fold(s, T0 + 3000, [observed("a", { VARZ: varz("a") }), observed("b", { VARZ: varz("b") })]);
    expect(s.servers.find((x) => x.name === "b")).toMatchObject({ state: "up", missed: 0, error: null });
  });

  it("bus servers - a sample that failed as a whole counts as missed by every known server, with its error", () => {
    let s = fold(emptyBusServersSnapshot("system"), T0, [observed("a", { VARZ: varz("a") })]);
    s = fold(s, T0 + 1000, [], "connection closed");
    expect(s.servers[0]).toMatchObject({ state: "stale", error: "connection closed" });
    expect(s.sample_error).toBe("connection closed");
  });

  it("bus servers - garbage from a reachable server marks it stale with the error and keeps its last figures", () => {
    let s = fold(emptyBusServersSnapshot("monitor"), T0, [
      observed("a", { VARZ: varz("a", { connections: 9 }), HEALTHZ: { status: "ok" } }),
    ]);
    s = fold(s, T0 + 1000, [observed("a", { errors: { VARZ: "varz: HTTP 200, not JSON" }, HEALTHZ: { status: "ok" } })]);
    expect(s.servers[0]).toMatchObject({ state: "stale", connections: 9, error: "varz: HTTP 200, not JSON" });
    expect(s.servers[0]!.health).toMatchObject({ status: "WARN", rule: "stale" });
    s = fold(s, T0 + 2000, [observed("a", { errors: { VARZ: "garbage", HEALTHZ: "garbage" } })]);
    expect(s.servers[0]).toMatchObject({ state: "stale", missed: 0 });
  });

  it("bus servers - routes: every peer of the cluster expected, a missing one shown down and named", () => {
    const s = fold(emptyBusServersSnapshot("system"), T0, [
      observed("a", { VARZ: varz("a"), ROUTEZ: routez("b") }),
      observed("b", { VARZ: varz("b"), ROUTEZ: routez("a") }),
      observed("c", { VARZ: varz("c"), ROUTEZ: routez() }),
    ]);
    const a = s.servers.find((x) => x.name === "a")!;
    expect(a.routes).toEqual([
      { name: "b", up: true, rtt_ms: 1, pending_bytes: null },
      { name: "c", up: false, rtt_ms: null, pending_bytes: null },
    ]);
    expect(a.health).toMatchObject({ status: "ERR", rule: "route_down", evidence: "route to c down" });
  });

  it("bus servers - the meta leader is what most servers name; a change is recorded with the one before", () => {
    const js = (leader: string): Reply<"JSZ"> => ({ memory: 0, storage: 0, meta_cluster: { leader, cluster_size: 2 } });
    let s = fold(emptyBusServersSnapshot("system"), T0, [observed("a", { JSZ: js("a") }), observed("b", { JSZ: js("a") })]);
    expect(s.meta_leader).toBe("a");
    expect(s.findings).toEqual([]);
    s = fold(s, T0 + 1000, [observed("a", { JSZ: js("b") }), observed("b", { JSZ: js("b") })]);
    expect(s).toMatchObject({ meta_leader: "b", meta_leader_before: "a", meta_leader_changed_at: T0 + 1000 });
    expect(s.findings).toContainEqual(expect.objectContaining({ rule: "meta_leader_changed" }));
  });

  it("bus servers - a server first listed by its URL (no VARZ yet) is one row once it tells its name, not two", () => {
    const url = "http://127.0.0.1:8222";
    let s = fold(emptyBusServersSnapshot("monitor"), T0, [
      { key: url, reachable: true, replies: { errors: { VARZ: "varz: timed out" }, HEALTHZ: { status: "ok" } } },
    ]);
    expect(s.servers.map((x) => x.name)).toEqual([url]);
    s = fold(s, T0 + 1000, [{ ...observed("a", { VARZ: varz("a") }), aliases: [url] }]);
    s = fold(s, T0 + 2000, [{ ...observed("a", { VARZ: varz("a") }), aliases: [url] }]);
    expect(s.servers.map((x) => [x.name, x.state])).toEqual([["a", "up"]]);
    expect(s.servers[0]!.healthz).toEqual({ status: "ok", error: null });
  });
});
