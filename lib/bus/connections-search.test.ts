import { describe, expect, it } from "vitest";
import type { ClosedConnectionRow, ConnectionRow } from "./connections";
import {
  connectionsViewStateToSearch,
  listedConnections,
  parseConnectionsViewState,
  rowsOfList,
  selectConnections,
} from "./connections-search";

const NOW = Date.parse("2026-12-07T10:00:00Z");

function row(cid: number, over: Partial<ConnectionRow> = {}): ConnectionRow {
  return {
    key: `n1:${cid}`,
    server: "n1",
    cid,
    name: `client-${cid}`,
    address: `10.0.0.${cid}:4222`,
    account: "APP",
    lang: "nats.js",
    version: "3.4.0",
    rtt_ms: cid,
    started: new Date(NOW - cid * 1000).toISOString(),
    pending_bytes: 0,
    subscriptions: 0,
    in_msgs: 0,
    out_msgs: 0,
    in_bytes: 0,
    out_bytes: 0,
    msgs_per_s: null,
    ...over,
  };
}

describe("connections view state", () => {
  it("connections view state - round-trips through the URL; defaults write nothing; bad values are named and ignored", () => {
    const state = { view: "slow", q: "orders", sort: "rate", dir: "asc", own: true } as const;
    const search = connectionsViewStateToSearch(state);
    expect(search).toBe("?view=slow&q=orders&sort=rate&dir=asc&own=1");
    expect(parseConnectionsViewState(new URLSearchParams(search))).toEqual({ ...state, ignored: [] });
    expect(connectionsViewStateToSearch({})).toBe("");
    const bad = parseConnectionsViewState(new URLSearchParams("sort=loudest&view=open"));
    expect(bad.sort).toBe("pending");
    expect(bad.ignored).toEqual([expect.stringContaining('sort: "loudest"')]);
    expect(parseConnectionsViewState(new URLSearchParams("own=yes")).own).toBe(false);
  });

  it("connections view state - filter matches name, address, account, client and reason; sorts by the chosen key", () => {
    const rows = [
      row(1, { pending_bytes: 10, msgs_per_s: 5, subscriptions: 3 }),
      row(2, { pending_bytes: 30, msgs_per_s: 1, account: "BILLING", subscriptions: 9 }),
      row(3, { pending_bytes: 20, msgs_per_s: null, lang: "go", version: "1.31", subscriptions: 1 }),
    ];
    const keys = (s: Parameters<typeof selectConnections>[1]) => selectConnections(rows, s, NOW).map((r) => r.cid);
    expect(keys({ q: "", sort: "pending", dir: "desc" })).toEqual([2, 3, 1]);
    expect(keys({ q: "", sort: "rate", dir: "desc" })).toEqual([1, 2, 3]);
    expect(keys({ q: "", sort: "subs", dir: "asc" })).toEqual([3, 1, 2]);
    expect(keys({ q: "", sort: "uptime", dir: "desc" })).toEqual([3, 2, 1]);
    expect(keys({ q: "billing", sort: "pending", dir: "desc" })).toEqual([2]);
    expect(keys({ q: "GO 1.31", sort: "pending", dir: "desc" })).toEqual([3]);
    expect(keys({ q: "10.0.0.1:", sort: "pending", dir: "desc" })).toEqual([1]);
  });

  it("connections view state - the slow list holds only slow-consumer closures; closed sort by stop time", () => {
    const closed = (cid: number, stopS: number, reason: string): ClosedConnectionRow => ({
      ...row(cid),
      stopped: new Date(NOW - stopS * 1000).toISOString(),
      reason,
      slow_consumer: reason.startsWith("Slow Consumer"),
    });
    const all = [
      closed(1, 30, "Client Closed"),
      closed(2, 10, "Slow Consumer (Write Deadline)"),
      closed(3, 20, "Slow Consumer (Pending Bytes)"),
    ];
    expect(rowsOfList("slow", [], all).map((r) => r.cid)).toEqual([2, 3]);
    expect(selectConnections(rowsOfList("closed", [], all), { q: "", sort: "stopped", dir: "desc" }, NOW).map((r) => r.cid)).toEqual([
      2, 3, 1,
    ]);
    expect(selectConnections(all, { q: "pending bytes", sort: "stopped", dir: "desc" }, NOW).map((r) => r.cid)).toEqual([3]);
  });

  it("connections view state - busdeck's own connections are listed and counted only with show internal, in every list", () => {
    const open = [row(1, { name: "busdeck pod-a" }), row(2, { name: "orders-api" }), row(3, { name: "busdeck pod-a (system)" }), row(4)];
    const closedOwn: ClosedConnectionRow = {
      ...row(5, { name: "busdeck pod-b" }),
      stopped: new Date(NOW).toISOString(),
      reason: "Slow Consumer (Pending Bytes)",
      slow_consumer: true,
    };
    const hidden = listedConnections("open", open, [closedOwn], false);
    expect(hidden.rows.map((r) => r.cid)).toEqual([2, 4]);
    expect(hidden.internal).toBe(2);
    expect(listedConnections("open", open, [closedOwn], true).rows.map((r) => r.cid)).toEqual([1, 2, 3, 4]);
    expect(listedConnections("slow", open, [closedOwn], false)).toEqual({ rows: [], internal: 1 });
    expect(listedConnections("slow", open, [closedOwn], true).rows.map((r) => r.cid)).toEqual([5]);
  });
});
