import { describe, expect, it } from "vitest";
import type { MessageView } from "../streams/messages";
import {
  cappedNote,
  keyOfSubject,
  KvBucketNameSchema,
  kvKeyFilter,
  KvKeyNameSchema,
  kvKeysViewStateToSearch,
  kvChangeOf,
  kvOperation,
  kvOverviewFromStreams,
  KV_WATCH_KEEP,
  withChange,
  type KvChange,
  KvPrefixSchema,
  parseKvKeysViewState,
  type BackingStreamInfo,
} from "./kv";

const stream = (name: string, config: Partial<BackingStreamInfo["config"]> = {}, messages = 3, bytes = 300): BackingStreamInfo => ({
  config: { name, ...config },
  state: { messages, bytes },
});

describe("kv", () => {
  it("kv - buckets and object stores are told apart by their backing stream, other streams left out", () => {
    const overview = kvOverviewFromStreams(
      [
        stream("ORDERS"),
        stream("KV_locks", { max_msgs_per_subject: 10, max_age: 30e9, num_replicas: 3, storage: "memory" }, 12, 1200),
        stream("KV_busdeck_fleet", { max_msgs_per_subject: 5 }),
        stream("OBJ_busdeck_snapshots", { sealed: true, description: "snapshots" }),
        stream("KV_app"),
      ],
      ["KV_busdeck_fleet", "OBJ_busdeck_snapshots"],
      ["locks", "busdeck_fleet"],
    );
    expect(overview.kv.map((b) => b.bucket)).toEqual(["app", "busdeck_fleet", "locks"]);
    expect(overview.kv[2]).toEqual({
      bucket: "locks",
      values: 12,
      bytes: 1200,
      history: 10,
      ttl_ms: 30_000,
      replicas: 3,
      storage: "memory",
      description: null,
      internal: false,
      locks: true,
    });
    expect(overview.kv[0]).toMatchObject({ history: 1, ttl_ms: 0, replicas: 1, internal: false, locks: false });
    expect(overview.kv[1]).toMatchObject({ internal: true, locks: true });
    expect(overview.objects).toEqual([
      expect.objectContaining({ bucket: "busdeck_snapshots", sealed: true, internal: true, description: "snapshots" }),
    ]);
  });

  it("kv - a prefix narrows the server's subject filter to its whole tokens", () => {
    expect(kvKeyFilter("b", "")).toBe("$KV.b.>");
    expect(kvKeyFilter("b", "ord")).toBe("$KV.b.>");
    expect(kvKeyFilter("b", "orders.eu.x")).toBe("$KV.b.orders.eu.>");
    expect(kvKeyFilter("b", "orders.")).toBe("$KV.b.orders.>");
    expect(keyOfSubject("b", "$KV.b.orders.eu.1")).toBe("orders.eu.1");
  });

  it("kv - the operation header: DEL and PURGE as such, anything else a PUT", () => {
    expect([kvOperation("DEL"), kvOperation("PURGE"), kvOperation(undefined), kvOperation("del")]).toEqual(["DEL", "PURGE", "PUT", "PUT"]);
  });

  it("kv - names: buckets without dots or wildcards, keys without empty tokens, prefixes without wildcards", () => {
    expect(KvBucketNameSchema.safeParse("busdeck_fleet-2").success).toBe(true);
    expect(KvBucketNameSchema.safeParse("a.b").success).toBe(false);
    expect(KvBucketNameSchema.safeParse("").success).toBe(false);
    expect(KvKeyNameSchema.safeParse("config/app=1.x").success).toBe(true);
    for (const bad of ["a..b", ".a", "a.", "a*", "a>", "a b"]) expect(KvKeyNameSchema.safeParse(bad).success).toBe(false);
    expect(KvPrefixSchema.safeParse("orders.").success).toBe(true);
    for (const bad of ["orders.*", ">", ".a", "a..b"]) expect(KvPrefixSchema.safeParse(bad).success).toBe(false);
  });

  it("kv - the prefix in the URL round-trips; a wildcard is dropped with the reason", () => {
    const state = parseKvKeysViewState(new URLSearchParams("prefix=orders.eu"));
    expect(state).toEqual({ prefix: "orders.eu", error: null });
    expect(kvKeysViewStateToSearch(state)).toBe("?prefix=orders.eu");
    expect(kvKeysViewStateToSearch({ prefix: "" })).toBe("");
    const bad = parseKvKeysViewState({ prefix: "orders.>" });
    expect(bad.prefix).toBe("");
    expect(bad.error).toMatch(/^prefix: /);
  });

  it("kv - a capped list says it shows the first N", () => {
    expect(cappedNote("keys", true, 2000)).toBe("first 2,000 keys");
    expect(cappedNote("keys", false, 2000)).toBeNull();
  });

  it("kv - a watched message is a change of its key, with its operation; keys outside the prefix are left out", () => {
    const m = (subject: string, op?: string): MessageView => ({
      stream: "KV_b",
      seq: 9,
      subject,
      time: "2026-12-07T10:00:00.000Z",
      size: 2,
      headers: op ? { "KV-Operation": [op] } : null,
      payload: { kind: "text", text: "hi", truncated: false, size: 2, warning: null },
      redacted: 1,
    });
    expect(kvChangeOf("b", "orders.e", m("$KV.b.orders.eu"))).toMatchObject({
      key: "orders.eu",
      revision: 9,
      operation: "PUT",
      redacted: 1,
    });
    expect(kvChangeOf("b", "orders.e", m("$KV.b.orders.eu", "DEL"))).toMatchObject({ operation: "DEL", value: null });
    expect(kvChangeOf("b", "orders.e", m("$KV.b.orders.us"))).toBeNull();
  });

  it("kv - a watch keeps the newest changes first and drops the oldest beyond its cap", () => {
    const change = (revision: number): KvChange => ({ key: "k", revision, operation: "PUT", time: "", size: 0, value: null });
    let kept: KvChange[] = [];
    for (let r = 1; r <= KV_WATCH_KEEP + 5; r++) kept = withChange(kept, change(r));
    expect(kept).toHaveLength(KV_WATCH_KEEP);
    expect(kept[0]!.revision).toBe(KV_WATCH_KEEP + 5);
    expect(kept.at(-1)!.revision).toBe(6);
  });
});
