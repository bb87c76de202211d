import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyConnectionsFold, foldConnectionsSample, type ConnectionsFold, type ObservedConnz } from "./connections";
import { connzQuery, parseConnz, parseConnzEnvelope } from "./connz";
import { CONN_T0, connInfo, connzOf, iso, observedConnz } from "../../testing/fixtures/connection";

const fold = (prev: ConnectionsFold, at: number, servers: ObservedConnz[], error?: string) =>
  foldConnectionsSample(prev, { at, source: "system", servers, error });

describe("bus connections", () => {
  it("bus connections - a connz reply is read with the fields shown; requests ask for the top 1,000 open by pending, closed by stop", () => {
    const parsed = parseConnz("open", connzOf(CONN_T0, [connInfo(5)]));
    expect(parsed.ok && parsed.data.connections?.[0]).toMatchObject({ cid: 5, name: "client-5", account: "APP" });
    expect(connzQuery("open")).toBe("?state=open&sort=pending&limit=1000&auth=true");
    expect(connzQuery("closed")).toBe("?state=closed&sort=stop&limit=1000&auth=true");
    const bad = parseConnz("open", { server_id: "x", num_connections: "many" });
    expect(bad).toEqual({ ok: false, error: expect.stringContaining("connz open: num_connections") });
    expect(parseConnzEnvelope("closed", { nope: 1 })).toBeNull();
  });

  it("bus connections - open rows with name, address, account, client, RTT; message rates from the previous sample", () => {
    let f = fold(emptyConnectionsFold("system"), CONN_T0, [
      observedConnz("n1", { open: connzOf(CONN_T0, [connInfo(5, { in_msgs: 100, out_msgs: 50 })]) }),
    ]);
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
    f = fold(f, CONN_T0 + 2_000, [observedConnz("n1", { open: connzOf(CONN_T0 + 2_000, [connInfo(5, { in_msgs: 300, out_msgs: 250 })]) })]);
    expect(f.snapshot.open[0]!.msgs_per_s).toBe(200);
    // The same id on a new connection (another start) has no rate yet.
    f = fold(f, CONN_T0 + 3_000, [
      observedConnz("n1", { open: connzOf(CONN_T0 + 3_000, [connInfo(5, { start: iso(CONN_T0 + 2_500), in_msgs: 900 })]) }),
    ]);
    expect(f.snapshot.open[0]!.msgs_per_s).toBeNull();
  });

  it("bus connections - a row nothing changed in is the previous sample's object; a changed one is new", () => {
    const closed = connzOf(CONN_T0, [connInfo(3, { stop: iso(CONN_T0 - 1_000), reason: "Client Closed" })]);
    const sample = (at: number, pending: number) =>
      observedConnz("n1", { open: connzOf(at, [connInfo(5), connInfo(6, { pending_bytes: pending })]), closed });
    const first = fold(fold(emptyConnectionsFold("system"), CONN_T0, [sample(CONN_T0, 0)]), CONN_T0 + 1_000, [sample(CONN_T0 + 1_000, 0)]);
    const second = fold(first, CONN_T0 + 2_000, [sample(CONN_T0 + 2_000, 512)]);
    expect(second.snapshot.open[0]).toBe(first.snapshot.open[0]);
    expect(second.snapshot.closed[0]).toBe(first.snapshot.closed[0]);
    expect(second.snapshot.open[1]).not.toBe(first.snapshot.open[1]);
    expect(second.snapshot.open[1]!.pending_bytes).toBe(512);
  });

  it("bus connections - a server read under its URL, then under its name, is one server: the URL's entry goes, not down", () => {
    const url = "http://127.0.0.1:8222";
    let f = fold(emptyConnectionsFold("monitor"), CONN_T0, [observedConnz(url, { open: connzOf(CONN_T0, [connInfo(5)]) })]);
    f = fold(f, CONN_T0 + 1_000, [observedConnz("n1", { open: connzOf(CONN_T0 + 1_000, [connInfo(5)]) })]);
    expect(f.snapshot.servers.map((s) => [s.name, s.state])).toEqual([["n1", "up"]]);
    expect(f.snapshot.open.map((r) => r.key)).toEqual(["n1:5"]);
    // one that never answered under its URL (no id known) goes too, once it answers under its name
    const silent = "http://127.0.0.1:8223";
    let g = fold(emptyConnectionsFold("monitor"), CONN_T0, [observedConnz(silent, { url: silent, reachable: false })]);
    g = fold(g, CONN_T0 + 1_000, [observedConnz("n3", { url: silent, open: connzOf(CONN_T0 + 1_000, [connInfo(2)], "ID-n3") })]);
    expect(g.snapshot.servers.map((s) => [s.name, s.state])).toEqual([["n3", "up"]]);
    // another server that stops answering is still kept, stale
    f = fold(f, CONN_T0 + 2_000, [observedConnz("n2", { open: connzOf(CONN_T0 + 2_000, [connInfo(7)], "ID-n2") })]);
    expect(f.snapshot.servers.map((s) => [s.name, s.state])).toEqual([
      ["n1", "stale"],
      ["n2", "up"],
    ]);
  });

  it("bus connections - garbage from a server: its last rows stay, marked stale with the error, never blanked", () => {
    let f = fold(emptyConnectionsFold("system"), CONN_T0, [
      observedConnz("n1", { open: connzOf(CONN_T0, [connInfo(5)]) }),
      observedConnz("n2", { open: connzOf(CONN_T0, [connInfo(9)], "ID-n2") }),
    ]);
    const garbage = parseConnz("open", "<html>");
    expect(garbage.ok).toBe(false);
    f = fold(f, CONN_T0 + 1_000, [
      observedConnz("n1", { errors: [garbage.ok ? "" : garbage.error] }),
      observedConnz("n2", { open: connzOf(CONN_T0 + 1_000, [connInfo(9)], "ID-n2") }),
    ]);
    const n1 = f.snapshot.servers.find((s) => s.name === "n1")!;
    expect(n1).toMatchObject({ state: "stale", error: expect.stringContaining("connz open") });
    expect(f.snapshot.open.map((r) => r.key).sort()).toEqual(["n1:5", "n2:9"]);
  });

  it("bus connections - a server that stops answering is stale, then down after 2 samples with its open rows gone, its closed ones kept", () => {
    const closed = connzOf(CONN_T0, [connInfo(3, { stop: iso(CONN_T0 - 1_000), reason: "Slow Consumer (Pending Bytes)" })]);
    let f = fold(emptyConnectionsFold("system"), CONN_T0, [observedConnz("n1", { open: connzOf(CONN_T0, [connInfo(5)]), closed })]);
    f = fold(f, CONN_T0 + 1_000, []);
    expect(f.snapshot.servers[0]).toMatchObject({ state: "stale", missed: 1 });
    expect(f.snapshot.open).toHaveLength(1);
    f = fold(f, CONN_T0 + 2_000, [], "connection closed");
    expect(f.snapshot.servers[0]).toMatchObject({ state: "down", error: "connection closed" });
    expect(f.snapshot.open).toHaveLength(0);
    expect(f.snapshot.closed.map((c) => [c.key, c.reason, c.slow_consumer])).toEqual([["n1:3", "Slow Consumer (Pending Bytes)", true]]);
  });

  it("bus connections - slow-consumer closures are tallied per client across samples, counted once", () => {
    const slow = (cid: number, stopMs: number) =>
      connInfo(cid, { name: "demo-slow-subscriber", stop: iso(stopMs), reason: "Slow Consumer (Write Deadline)" });
    let f = fold(emptyConnectionsFold("system"), CONN_T0, [observedConnz("n1", { closed: connzOf(CONN_T0, [slow(7, CONN_T0 - 5_000)]) })]);
    f = fold(f, CONN_T0 + 1_000, [observedConnz("n1", { closed: connzOf(CONN_T0 + 1_000, [slow(7, CONN_T0 - 5_000)]) })]);
    f = fold(f, CONN_T0 + 2_000, [
      observedConnz("n1", { closed: connzOf(CONN_T0 + 2_000, [slow(11, CONN_T0 + 1_500), slow(7, CONN_T0 - 5_000)]) }),
    ]);
    expect(f.snapshot.slow_consumers).toEqual([
      expect.objectContaining({ client: "demo-slow-subscriber", count: 2, last_at: iso(CONN_T0 + 1_500), last_server: "n1" }),
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
