import { describe, expect, it } from "vitest";
import {
  busStreams,
  byShowInternal,
  classifyConnection,
  classifyConsumer,
  classifyStream,
  isOwnStream,
  ownConnectionName,
  ownStreamNames,
  withoutOwn,
} from "./own-resources";

describe("own resources", () => {
  it("own resources - KV and object store buckets are named as the streams behind them", () => {
    const own = ownStreamNames({
      streams: ["BUSDECK_HISTORY", "BUSDECK_HISTORY"],
      kvBuckets: ["busdeck_fleet"],
      objectBuckets: ["busdeck_snapshots"],
    });
    expect(own).toEqual(["BUSDECK_HISTORY", "KV_busdeck_fleet", "OBJ_busdeck_snapshots"]);
    expect(isOwnStream("OBJ_busdeck_snapshots", own)).toBe(true);
    expect(isOwnStream("KV_locks", own)).toBe(false);
  });

  it("own resources - withoutOwn keeps the application's rows in order", () => {
    const rows = [{ stream: "A" }, { stream: "KV_busdeck_fleet" }, { stream: "B" }];
    expect(withoutOwn(rows, ["KV_busdeck_fleet"])).toEqual([{ stream: "A" }, { stream: "B" }]);
    expect(withoutOwn(rows, [])).toBe(rows);
  });
});

describe("own resources - bus streams", () => {
  it("own resources - the bus's streams are every stream but busdeck's own", () => {
    const streams = [{ name: "orders" }, { name: "BUSDECK_HISTORY" }, { name: "KV_busdeck-fleet" }];
    expect(busStreams(streams, ["BUSDECK_HISTORY", "KV_busdeck-fleet"]).map((s) => s.name)).toEqual(["orders"]);
  });
});

describe("own resources - classification", () => {
  const own = ownStreamNames({ streams: ["BUSDECK_HISTORY"], kvBuckets: ["busdeck_fleet"], objectBuckets: ["busdeck_snapshots"] });

  it("own resources - a stream is busdeck's own before it is a KV or object store backing stream", () => {
    expect(classifyStream("BUSDECK_HISTORY", own)).toBe("internal");
    expect(classifyStream("KV_busdeck_fleet", own)).toBe("internal");
    expect(classifyStream("OBJ_busdeck_snapshots", own)).toBe("internal");
    expect(classifyStream("KV_locks", own)).toBe("kv");
    expect(classifyStream("OBJ_images", own)).toBe("object-store");
  });

  it("own resources - only the exact prefixes with a bucket name after them mark a backing stream", () => {
    expect(classifyStream("orders", own)).toBe("application");
    expect(classifyStream("KV_", own)).toBe("application");
    expect(classifyStream("OBJ_", own)).toBe("application");
    expect(classifyStream("kv_locks", own)).toBe("application");
    expect(classifyStream("KVX_locks", own)).toBe("application");
    expect(classifyStream("BUSDECK_HISTORY_COPY", own)).toBe("application");
  });

  it("own resources - a consumer on busdeck's own stream is internal, durable or not", () => {
    expect(classifyConsumer({ stream: "KV_busdeck_fleet", name: "oc_X_1", config: { durable: false } }, own)).toBe("internal");
    expect(classifyConsumer({ stream: "BUSDECK_HISTORY", name: "reader", config: { durable: true } }, own)).toBe("internal");
  });

  it("own resources - a consumer without a durable name is ephemeral; one of busdeck's durables is internal anywhere", () => {
    expect(classifyConsumer({ stream: "KV_locks", name: "oc_AbC_3", config: { durable: false } }, own)).toBe("ephemeral");
    expect(classifyConsumer({ stream: "orders", name: "Xy12AbCd", config: { durable: false } }, own)).toBe("ephemeral");
    expect(classifyConsumer({ stream: "orders", name: "api-consumer", config: { durable: true } }, own)).toBe("application");
    expect(classifyConsumer({ stream: "orders", name: "busdeck-probe", config: { durable: true } }, own, ["busdeck-probe"])).toBe(
      "internal",
    );
  });

  it("own resources - a consumer row without the durable flag is not hidden on a guess, whatever its name", () => {
    expect(classifyConsumer({ stream: "orders", name: "oc_AbC_3", config: {} }, own)).toBe("application");
  });

  it("own resources - busdeck's connections are named for their replica; a look-alike name is the bus's", () => {
    expect(classifyConnection(ownConnectionName("pod-1"))).toBe("internal");
    expect(classifyConnection(`${ownConnectionName("host:42")} (system)`)).toBe("internal");
    expect(classifyConnection("busdeck")).toBe("internal");
    expect(classifyConnection("busdeck-sampler")).toBe("application");
    expect(classifyConnection("busdeckish worker")).toBe("application");
    expect(classifyConnection("demo busdeck 1")).toBe("application");
    expect(classifyConnection(null)).toBe("application");
    expect(classifyConnection("")).toBe("application");
  });

  it("own resources - the toggle hides every row not the application's and counts them either way", () => {
    const rows = [{ k: "application" }, { k: "internal" }, { k: "ephemeral" }, { k: "application" }, { k: "kv" }];
    const kind = (r: { k: string }) => r.k;
    const hidden = byShowInternal(rows, kind, false);
    expect(hidden.rows).toEqual([{ k: "application" }, { k: "application" }]);
    expect(hidden.internal).toBe(3);
    const shown = byShowInternal(rows, kind, true);
    expect(shown.rows).toBe(rows);
    expect(shown.internal).toBe(3);
    expect(byShowInternal([], kind, false)).toEqual({ rows: [], internal: 0 });
  });
});
