import { describe, expect, it } from "vitest";
import { busStreams, isOwnStream, ownStreamNames, withoutOwn } from "./own-resources";

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
