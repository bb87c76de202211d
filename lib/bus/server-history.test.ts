import { describe, expect, it } from "vitest";
import type { Reply, ServerReplies } from "./replies";
import { evaluateBusHealth } from "./health";
import { emptyBusServersSnapshot, foldBusSample, type BusServersSnapshot, type ObservedServer } from "./servers";
import {
  appendServerPoint,
  downSince,
  ServerHistoryRecordSchema,
  serverHistoryPoints,
  serverHistoryRecord,
  serverPointFromRecord,
  ServerNameSchema,
  type ServerHistoryPoint,
} from "./server-history";

const T0 = Date.parse("2026-12-07T10:00:00Z");

function varz(name: string, at: number, over: Partial<Reply<"VARZ">> = {}): Reply<"VARZ"> {
  return {
    server_id: `ID-${name}`,
    server_name: name,
    version: "2.9.10",
    connections: 4,
    subscriptions: 10,
    slow_consumers: 1,
    in_msgs: 0,
    out_msgs: 0,
    in_bytes: 0,
    out_bytes: 0,
    cpu: 12.345,
    mem: 50_000_000,
    now: new Date(at).toISOString(),
    cluster: { name: "c" },
    ...over,
  };
}

const jsz = (memory: number, storage: number): Reply<"JSZ"> => ({ memory, storage }) as Reply<"JSZ">;

function observed(name: string, replies: Partial<ServerReplies>): ObservedServer {
  return { key: name, id: `ID-${name}`, reachable: true, replies: { errors: {}, ...replies } };
}

const fold = (prev: BusServersSnapshot, at: number, servers: ObservedServer[]) =>
  foldBusSample(prev, { at, source: "system", servers }, evaluateBusHealth);

/** Two servers answering twice (so rates exist), then `b` silent for two samples (down). */
function story() {
  let snap = emptyBusServersSnapshot("system");
  const snaps: BusServersSnapshot[] = [];
  for (let i = 0; i < 2; i++) {
    const at = T0 + i * 1000;
    snap = fold(snap, at, [
      observed("a", { VARZ: varz("a", at, { in_msgs: 100 * i, out_bytes: 2000 * i }), JSZ: jsz(10, 20 + i) }),
      observed("b", { VARZ: varz("b", at, { in_msgs: 50 * i }) }),
    ]);
    snaps.push(snap);
  }
  for (let i = 2; i < 4; i++) {
    const at = T0 + i * 1000;
    snap = fold(snap, at, [observed("a", { VARZ: varz("a", at, { in_msgs: 100 * i, out_bytes: 2000 * i }), JSZ: jsz(10, 20 + i) })]);
    snaps.push(snap);
  }
  return snaps;
}

const seriesOf = (snaps: BusServersSnapshot[], name: string) => snaps.map((s) => serverHistoryPoints(s)!.points.get(name)!);

describe("bus server history", () => {
  it("bus server history - a sample becomes one point per server with its figures and per-second rates", () => {
    const [, second] = story();
    const a = serverHistoryPoints(second!)!.points.get("a")!;
    expect(a).toEqual({
      t: T0 + 1000,
      state: "up",
      cpu: 12.345,
      mem_bytes: 50_000_000,
      connections: 4,
      slow_consumers: 1,
      in_msgs_per_s: 100,
      out_msgs_per_s: 0,
      in_bytes_per_s: 0,
      out_bytes_per_s: 2000,
      js_memory: 10,
      js_storage: 21,
    });
  });

  it("bus server history - before the first sample there is no time to file a point under", () => {
    expect(serverHistoryPoints(emptyBusServersSnapshot("system"))).toBeNull();
  });

  it("bus server history - a silent server's points have no figures (not its last reading), and it is down since its last answer", () => {
    const snaps = story();
    const b = seriesOf(snaps, "b");
    expect(b.map((p) => p.state)).toEqual(["up", "up", "stale", "down"]);
    expect(b[1]!.connections).toBe(4);
    // stale after one missed sample, then down: neither repeats the last reading
    for (const p of b.slice(2))
      expect(p).toMatchObject({ cpu: null, mem_bytes: null, connections: null, in_msgs_per_s: null, js_storage: null });
    const row = snaps[3]!.servers.find((s) => s.name === "b")!;
    expect(downSince(row, b)).toBe(T0 + 1000);
    expect(
      downSince(
        snaps[3]!.servers.find((s) => s.name === "a")!,
        seriesOf(snaps, "a"),
      ),
    ).toBeNull();
  });

  it("bus server history - a server never seen is down since the first of its trailing down points", () => {
    const p = (t: number, state: ServerHistoryPoint["state"]) => ({ t, state }) as ServerHistoryPoint;
    expect(downSince({ state: "down", last_seen: null }, [p(1, "down"), p(2, "up"), p(3, "stale"), p(4, "down"), p(5, "down")])).toBe(4);
  });

  it("bus server history - a stored record reads back as the same points, per server, through its schema", () => {
    const snaps = story();
    for (const snap of snaps) {
      const { t, points } = serverHistoryPoints(snap)!;
      const stored = ServerHistoryRecordSchema.parse(JSON.parse(JSON.stringify(serverHistoryRecord(t, points))));
      for (const [name, point] of points) expect(serverPointFromRecord(stored, name)).toEqual(point);
      expect(serverPointFromRecord(stored, "nobody")).toBeNull();
    }
  });

  it("bus server history - a record of another version or shape is refused", () => {
    expect(ServerHistoryRecordSchema.safeParse({ v: 2, t: 1, rows: [] }).success).toBe(false);
    expect(ServerHistoryRecordSchema.safeParse({ v: 1, t: 1, rows: [["a", "sideways", 1]] }).success).toBe(false);
  });

  it("bus server history - the recent window keeps the newest points and ignores a repeated sample", () => {
    const series: ServerHistoryPoint[] = [];
    const p = (t: number) => ({ t, state: "up" }) as ServerHistoryPoint;
    for (const t of [1, 2, 2, 3, 1, 4]) appendServerPoint(series, p(t), 3);
    expect(series.map((x) => x.t)).toEqual([2, 3, 4]);
  });

  it("bus server history - a server name in a path is one word", () => {
    expect(ServerNameSchema.safeParse("nats-1").success).toBe(true);
    expect(ServerNameSchema.safeParse("http://nats-1:8222").success).toBe(true);
    expect(ServerNameSchema.safeParse("a b").success).toBe(false);
    expect(ServerNameSchema.safeParse("").success).toBe(false);
  });
});
