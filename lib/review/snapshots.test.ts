import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { describe, expect, it, vi } from "vitest";
import {
  whenViewDataArrived,
  buildSnapshotDocument,
  currentQueryEntries,
  FreezeRequestSchema,
  frozenBannerText,
  frozenRangeText,
  parseSnapshotDocument,
  selectFrozenQueries,
  snapshotIdFromBytes,
  SnapshotIdSchema,
  SnapshotFormatError,
  sortSummaries,
  summaryFromObject,
  summaryMetadata,
  viewOfPath,
  type FreezeRequest,
} from "./snapshots";
import { toOutcomeRow, type OutcomeRecord } from "../outcomes/outcome";

const request: FreezeRequest = {
  url: "/consumers?q=bill&status=critical",
  view_now: Date.UTC(2026, 10, 23, 15, 4, 5),
  queries: [
    { key: ["live", "consumers"], data: { consumers: [{ name: "billing", num_pending: 42 }], status: "ok" } },
    { key: ["consumers", "ORDERS", "billing", "history", "15m"], data: null },
  ],
};
const origin = {
  id: "abcdefghijklmnop",
  now: new Date("2026-11-23T15:04:06.000Z"),
  user: "alice",
  serverVersion: "0.1.0",
  nats: { cluster: "east", server_name: "n1", server_version: "2.9.10" },
};

describe("snapshot ids", () => {
  it("snapshot ids - 10 bytes make 16 URL-safe base32 characters", () => {
    expect(snapshotIdFromBytes(new Uint8Array(10))).toBe("aaaaaaaaaaaaaaaa");
    expect(snapshotIdFromBytes(new Uint8Array(10).fill(255))).toBe("7777777777777777");
    // RFC 4648 test vector "foobar" (lower case), padded to 10 bytes with zeros.
    expect(snapshotIdFromBytes(new Uint8Array([0x66, 0x6f, 0x6f, 0x62, 0x61, 0x72, 0, 0, 0, 0]))).toBe("mzxw6ytboiaaaaaa");
    expect(() => snapshotIdFromBytes(new Uint8Array(9))).toThrow(RangeError);
  });

  it("snapshot ids - malformed ids are refused", () => {
    expect(SnapshotIdSchema.safeParse("abcdefghijklmnop").success).toBe(true);
    for (const bad of ["", "abc", "ABCDEFGHIJKLMNOP", "abcdefghijklmno1", "abcdefghijklmnop0", "../../etc/passwdx", "abcdefgh.jklmnop"]) {
      expect(SnapshotIdSchema.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe("snapshot views", () => {
  it("snapshot views - every freezable path maps to its view", () => {
    expect(viewOfPath("/streams?sort=bytes")).toEqual({ kind: "streams" });
    expect(viewOfPath("/streams/ORDERS")).toEqual({ kind: "stream", name: "ORDERS" });
    expect(viewOfPath("/consumers")).toEqual({ kind: "consumers" });
    expect(viewOfPath("/consumers/ORDERS/billing%20v2")).toEqual({ kind: "consumer", stream: "ORDERS", name: "billing v2" });
    expect(viewOfPath("/outcomes")).toEqual({ kind: "outcomes" });
    expect(viewOfPath("/outcomes/live-12")).toEqual({ kind: "outcome", id: "live-12" });
    expect(viewOfPath("/failover?range=1h")).toEqual({ kind: "failover" });
    expect(viewOfPath("/outcomes/groups/link_down/a1b2c3?range=6h")).toEqual({ kind: "error_group", handler: "link_down", id: "a1b2c3" });
    expect(viewOfPath("/outcomes/handlers/link%20down?from=2026-12-07T10:00:00Z")).toEqual({ kind: "handler", handler: "link down" });
    expect(viewOfPath("/streams/ORDERS/messages/42?consumer=billing")).toEqual({ kind: "message", stream: "ORDERS", seq: 42 });
  });

  it("snapshot views - other pages cannot be frozen", () => {
    for (const path of [
      "/",
      "/snapshots",
      "/s/abcdefghijklmnop",
      "/streams/ORDERS/messages",
      "/consumers/ORDERS",
      "/outcomes/handlers",
      "/outcomes/handlers/a/b",
      "/failover/x",
      "/streams/%E0%A4%A",
      "/streams/ORDERS/messages/0",
      "/streams/ORDERS/messages/x1",
      "/streams/ORDERS/other/1",
      "/streams/ORDERS/messages/1/x",
      "/outcomes/groups/link_down",
      "/outcomes/groups/a/b/c",
      "/consumers/ORDERS/billing/x",
    ]) {
      expect(viewOfPath(path), path).toBeNull();
    }
  });
});

describe("snapshot documents", () => {
  it("snapshot documents - a built document survives JSON and validates", () => {
    const doc = buildSnapshotDocument(request, origin);
    expect(doc).toMatchObject({
      format: 1,
      view: "consumers",
      title: "Consumer lag",
      created_at: "2026-11-23T15:04:06.000Z",
      created_by: "alice",
    });
    expect(parseSnapshotDocument(JSON.parse(JSON.stringify(doc)))).toEqual(doc);
  });

  it("snapshot documents - unknown formats and broken fields are named", () => {
    const doc = buildSnapshotDocument(request, origin);
    expect(() => parseSnapshotDocument({ ...doc, format: 99 })).toThrow(SnapshotFormatError);
    expect(() => parseSnapshotDocument({ ...doc, created_at: "yesterday" })).toThrow(/created_at/);
    expect(() => parseSnapshotDocument({ ...doc, id: "nope" })).toThrow(/id: an id is 16/);
    expect(() => parseSnapshotDocument("not an object")).toThrow(SnapshotFormatError);
  });

  it("snapshot documents - a freeze request must name a freezable busdeck path and carry data", () => {
    expect(FreezeRequestSchema.safeParse(request).success).toBe(true);
    expect(FreezeRequestSchema.safeParse({ ...request, url: "https://evil.example/consumers" }).success).toBe(false);
    expect(FreezeRequestSchema.safeParse({ ...request, url: "//evil.example/consumers" }).success).toBe(false);
    expect(FreezeRequestSchema.safeParse({ ...request, url: "/snapshots" }).success).toBe(false);
    expect(FreezeRequestSchema.safeParse({ ...request, queries: [] }).success).toBe(false);
    expect(FreezeRequestSchema.safeParse({ ...request, view_now: -1 }).success).toBe(false);
  });

  it("snapshot documents - the banner names time (UTC) and author", () => {
    expect(frozenBannerText(buildSnapshotDocument(request, origin))).toBe("Frozen snapshot — taken 2026-11-23 15:04:06 UTC by alice");
  });

  it("snapshot documents - an optional one-line name is kept in the document, its listing and the banner", () => {
    const named = buildSnapshotDocument(FreezeRequestSchema.parse({ ...request, name: "  INC-4711 " }), origin);
    expect(named.name).toBe("INC-4711");
    expect(parseSnapshotDocument(named).name).toBe("INC-4711");
    expect(frozenBannerText(named)).toBe("Frozen snapshot INC-4711 — taken 2026-11-23 15:04:06 UTC by alice");
    expect(summaryFromObject(named.id, 10, summaryMetadata(named, 20))?.name).toBe("INC-4711");
    expect(buildSnapshotDocument(request, origin)).not.toHaveProperty("name");
    expect(FreezeRequestSchema.safeParse({ ...request, name: "two\nlines" }).success).toBe(false);
    expect(FreezeRequestSchema.safeParse({ ...request, name: "x".repeat(81) }).success).toBe(false);
  });

  it("snapshot documents - the frozen range reads as absolute UTC instants", () => {
    const at = Date.parse("2026-11-23T15:00:00Z");
    expect(frozenRangeText({ kind: "live", last: "1h" }, at)).toBe("2026-11-23 14:00:00 UTC → 2026-11-23 15:00:00 UTC (last 1h)");
    expect(frozenRangeText({ kind: "live", last: null }, at)).toBe("as of 2026-11-23 15:00:00 UTC (the latest sample)");
    expect(frozenRangeText({ kind: "live", last: null }, at, "15m")).toBe(
      "2026-11-23 14:45:00 UTC → 2026-11-23 15:00:00 UTC (last 15m, the view's default)",
    );
    expect(frozenRangeText({ kind: "fixed", from: "2026-11-23T13:00:00.000Z", to: "2026-11-23T13:30:00.000Z" }, at)).toBe(
      "2026-11-23 13:00:00 UTC → 2026-11-23 13:30:00 UTC",
    );
  });
});

describe("snapshot capture", () => {
  it("snapshot capture - keeps what mounted components read, drops the SSE status and unread entries", () => {
    const picked = selectFrozenQueries([
      { key: ["live", "consumers"], data: { a: 1 }, observers: 2 },
      { key: ["live", "_sse"], data: { state: "open" }, observers: 1 },
      { key: ["live", "outcomes"], data: [1], observers: 0 },
      { key: ["streams", "X", "history", "5m"], data: undefined, observers: 1 },
      { key: ["streams", "X", "subjects"], data: null, observers: 1 },
    ]);
    expect(picked).toEqual([
      { key: ["live", "consumers"], data: { a: 1 } },
      { key: ["streams", "X", "subjects"], data: null },
    ]);
  });
});

describe("snapshot upgrade", () => {
  const record: OutcomeRecord = {
    id: "7",
    subject: "reflex.outcome.h",
    handler_id: "h",
    received_at: "2026-11-23T14:00:00Z",
    stream_seq: 7,
    size: 3,
    valid: false,
    raw: "{x",
    error: "not JSON",
  };

  it("snapshot upgrade - an older outcomes snapshot's full live records become the feed rows the view reads", () => {
    const upgraded = currentQueryEntries([
      { key: ["live", "outcomes"], data: [record] },
      { key: ["live", "outcome_stats"], data: { total: 1 } },
    ]);
    expect(upgraded).toEqual([
      { key: ["live", "outcome_rows"], data: [toOutcomeRow(record)] },
      { key: ["live", "outcome_stats"], data: { total: 1 } },
    ]);
  });

  it("snapshot upgrade - a current snapshot and unreadable data are left as they are", () => {
    const current = [{ key: ["live", "outcome_rows"], data: [toOutcomeRow(record)] }];
    expect(currentQueryEntries(current)).toBe(current);
    const odd = [{ key: ["live", "outcomes"], data: [null] }];
    expect(currentQueryEntries(odd)).toEqual(odd);
  });
});

describe("snapshot index", () => {
  it("snapshot index - a summary round-trips through object metadata", () => {
    const doc = buildSnapshotDocument(request, origin);
    const summary = summaryFromObject(doc.id, 1234, summaryMetadata(doc, 5678));
    expect(summary).toEqual({
      id: doc.id,
      view: "consumers",
      title: "Consumer lag",
      url: request.url,
      created_at: doc.created_at,
      created_by: "alice",
      stored_bytes: 1234,
      json_bytes: 5678,
    });
  });

  it("snapshot index - objects busdeck did not write are left out; newest first", () => {
    expect(summaryFromObject("README", 10, {})).toBeNull();
    expect(summaryFromObject("abcdefghijklmnop", 10, undefined)).toBeNull();
    const a = { id: "a", created_at: "2026-11-23T10:00:00.000Z" } as never;
    const b = { id: "b", created_at: "2026-11-23T11:00:00.000Z" } as never;
    expect(sortSummaries([a, b]).map((s: { id: string }) => s.id)).toEqual(["b", "a"]);
  });
});

describe("freezing a view that is still loading", () => {
  const observed = (qc: QueryClient, key: unknown[]) =>
    new QueryObserver(qc, { queryKey: key, queryFn: () => new Promise<never>(() => undefined) }).subscribe(() => undefined);

  it("snapshot freeze - waits for live data the view reads, not for topics no view shows or nobody reads", async () => {
    const qc = new QueryClient();
    observed(qc, ["live", "consumer_rows"]);
    observed(qc, ["live", "connection"]); // the top bar's, never waited for
    qc.getQueryCache().build(qc, { queryKey: ["live", "streams"] }); // in the cache, read by no view now
    let arrived = false;
    const wait = whenViewDataArrived(qc.getQueryCache(), 60_000).then(() => (arrived = true));
    await Promise.resolve();
    expect(arrived).toBe(false);
    qc.setQueryData(["live", "consumer_rows"], { meta: {}, items: [] });
    await wait;
    expect(arrived).toBe(true);
    await whenViewDataArrived(qc.getQueryCache(), 60_000); // nothing missing: at once
    qc.clear();
  });

  it("snapshot freeze - gives up waiting after the timeout (a topic may never come)", async () => {
    vi.useFakeTimers();
    try {
      const qc = new QueryClient();
      observed(qc, ["live", "singletons"]);
      let arrived = false;
      const wait = whenViewDataArrived(qc.getQueryCache(), 5_000).then(() => (arrived = true));
      await vi.advanceTimersByTimeAsync(4_900);
      expect(arrived).toBe(false);
      await vi.advanceTimersByTimeAsync(200);
      await wait;
      expect(arrived).toBe(true);
      qc.clear();
    } finally {
      vi.useRealTimers();
    }
  });
});
