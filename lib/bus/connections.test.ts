import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyConnectionsFold, foldConnectionsSample, type ConnectionsFold, type ObservedConnz } from "./connections";
import { connzQuery, parseConnz, parseConnzEnvelope, type ConnInfo, type Connz } from "./connz";

const T0 = Date.parse("2026-12-07T10:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

function conn(cid: number, over: Partial<ConnInfo> = {}): ConnInfo {
  return {
    cid,
    ip: "127.0.0.1",
    port: 50_000 + cid,
    start: iso(T0 - 60_000),
    rtt: "1.5ms",
    pending_bytes: 0,
    in_msgs: 0,
    out_msgs: 0,
    in_bytes: 0,
    out_bytes: 0,
    subscriptions: 1,
    name: `client-${cid}`,
    lang: "nats.js",
    version: "3.4.0",
    account: "APP",
    ...over,
  };
}

const connz = (at: number, connections: ConnInfo[], server_id = "ID-n1"): Connz => ({
  server_id,
  now: iso(at),
  num_connections: connections.length,
  connections,
});

function observed(key: string, parts: Partial<ObservedConnz> = {}): ObservedConnz {
  return { key, reachable: true, errors: [], ...parts };
}

const fold = (prev: ConnectionsFold, at: number, servers: ObservedConnz[], error?: string) =>
  foldConnectionsSample(prev, { at, source: "system", servers, error });

describe("bus connections", () => {
  it("bus connections - a connz reply is read with the fields shown; requests ask for the top 1,000 open by pending, closed by stop", () => {
    const parsed = parseConnz("open", connz(T0, [conn(5)]));
    expect(parsed.ok && parsed.data.connections?.[0]).toMatchObject({ cid: 5, name: "client-5", account: "APP" });
    expect(connzQuery("open")).toBe("?state=open&sort=pending&limit=1000&auth=true");
    expect(connzQuery("closed")).toBe("?state=closed&sort=stop&limit=1000&auth=true");
    const bad = parseConnz("open", { server_id: "x", num_connections: "many" });
    expect(bad).toEqual({ ok: false, error: expect.stringContaining("connz open: num_connections") });
    expect(parseConnzEnvelope("closed", { nope: 1 })).toBeNull();
  });

  it("bus connections - open rows with name, address, account, client, RTT; message rates from the previous sample", () => {
    let f = fold(emptyConnectionsFold("system"), T0, [observed("n1", { open: connz(T0, [conn(5, { in_msgs: 100, out_msgs: 50 })]) })]);
    const first = f.snapshot.open[0]!;
    expect(first).toMatchObject({
      key: "n1:5",
      server: "n1",
      name: "client-5",
      address: "127.0.0.1:50005",
      account: "APP",
      lang: "nats.js",
      version: "3.4.0",
      rtt_ms: 1.5,
      msgs_per_s: null,
    });
    f = fold(f, T0 + 2_000, [observed("n1", { open: connz(T0 + 2_000, [conn(5, { in_msgs: 300, out_msgs: 250 })]) })]);
    expect(f.snapshot.open[0]!.msgs_per_s).toBe(200);
    // The same id on a new connection (another start) has no rate yet.
    f = fold(f, T0 + 3_000, [observed("n1", { open: connz(T0 + 3_000, [conn(5, { start: iso(T0 + 2_500), in_msgs: 900 })]) })]);
    expect(f.snapshot.open[0]!.msgs_per_s).toBeNull();
  });

  it("bus connections - garbage from a server: its last rows stay, marked stale with the error, never blanked", () => {
    let f = fold(emptyConnectionsFold("system"), T0, [
      observed("n1", { open: connz(T0, [conn(5)]) }),
      observed("n2", { open: connz(T0, [conn(9)], "ID-n2") }),
    ]);
    const garbage = parseConnz("open", "<html>");
    expect(garbage.ok).toBe(false);
    f = fold(f, T0 + 1_000, [
      observed("n1", { errors: [garbage.ok ? "" : garbage.error] }),
      observed("n2", { open: connz(T0 + 1_000, [conn(9)], "ID-n2") }),
    ]);
    const n1 = f.snapshot.servers.find((s) => s.name === "n1")!;
    expect(n1).toMatchObject({ state: "stale", error: expect.stringContaining("connz open") });
    expect(f.snapshot.open.map((r) => r.key).sort()).toEqual(["n1:5", "n2:9"]);
  });

  it("bus connections - a server that stops answering is stale, then down after 2 samples with its open rows gone, its closed ones kept", () => {
    const closed = connz(T0, [conn(3, { stop: iso(T0 - 1_000), reason: "Slow Consumer (Pending Bytes)" })]);
    let f = fold(emptyConnectionsFold("system"), T0, [observed("n1", { open: connz(T0, [conn(5)]), closed })]);
    f = fold(f, T0 + 1_000, []);
    expect(f.snapshot.servers[0]).toMatchObject({ state: "stale", missed: 1 });
    expect(f.snapshot.open).toHaveLength(1);
    f = fold(f, T0 + 2_000, [], "connection closed");
    expect(f.snapshot.servers[0]).toMatchObject({ state: "down", error: "connection closed" });
    expect(f.snapshot.open).toHaveLength(0);
    expect(f.snapshot.closed.map((c) => [c.key, c.reason, c.slow_consumer])).toEqual([["n1:3", "Slow Consumer (Pending Bytes)", true]]);
  });

  it("bus connections - slow-consumer closures are tallied per client across samples, counted once", () => {
    const slow = (cid: number, stopMs: number) =>
      conn(cid, { name: "demo-slow-subscriber", stop: iso(stopMs), reason: "Slow Consumer (Write Deadline)" });
    let f = fold(emptyConnectionsFold("system"), T0, [observed("n1", { closed: connz(T0, [slow(7, T0 - 5_000)]) })]);
    f = fold(f, T0 + 1_000, [observed("n1", { closed: connz(T0 + 1_000, [slow(7, T0 - 5_000)]) })]);
    f = fold(f, T0 + 2_000, [observed("n1", { closed: connz(T0 + 2_000, [slow(11, T0 + 1_500), slow(7, T0 - 5_000)]) })]);
    expect(f.snapshot.slow_consumers).toEqual([
      expect.objectContaining({ client: "demo-slow-subscriber", count: 2, last_at: iso(T0 + 1_500), last_server: "n1" }),
    ]);
  });

  it("bus connections - properties: no reply makes a parser throw", () => {
    const server = { name: "n1", id: "ID" };
    fc.assert(
      fc.property(fc.constantFrom("open" as const, "closed" as const), fc.jsonValue(), (state, json) => {
        parseConnz(state, json);
        parseConnzEnvelope(state, json);
        parseConnzEnvelope(state, { server, data: json });
      }),
      { numRuns: 300 },
    );
  });
});
