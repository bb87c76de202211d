import { describe, expect, it } from "vitest";
import { consumerRow } from "../../testing/fixtures/consumer";
import { streamSummary } from "../../testing/fixtures/stream";
import { emptyStreamsSnapshot } from "../streams/types";
import { emptyFindingsSnapshot } from "./finding";
import { evaluatedText, newerFindings, viewsHealth } from "./overview";
import type { LockState, LocksSnapshot } from "../failover/locks";

describe("overview views health", () => {
  it("overview - counts the bus's streams and consumers and sums their lag, leaving busdeck's own out", () => {
    const own = ["BUSDECK_FINDINGS"];
    const health = viewsHealth({
      streams: { ...emptyStreamsSnapshot(), streams: [streamSummary("ORDERS"), streamSummary("BUSDECK_FINDINGS")], own_streams: own },
      rows: {
        meta: { status: "ok", sampled_at: null, duration_ms: null, errors: [], own_streams: own },
        items: [consumerRow("ORDERS", "billing", 7), consumerRow("ORDERS", "shipping", 5), consumerRow("BUSDECK_FINDINGS", "mine", 100)],
      },
    });
    expect(health).toEqual({ streams: 1, consumers: 2, lag_msgs: 12, outcomes: 0, errored: 0, locks: 0 });
  });

  it("overview - busdeck's own sampler lock is not counted among the singleton locks", () => {
    const lock = (bucket: string, key: string): LockState => ({
      bucket,
      key,
      holder: "a",
      value: null,
      revision: 1,
      updated_at: "2026-11-23T12:00:00.000Z",
    });
    const locks: LocksSnapshot = {
      status: "ok",
      buckets: ["busdeck_sampler", "locks"],
      locks: [lock("busdeck_sampler", "sampler"), lock("locks", "billing")],
      errors: [],
    };
    const streams = { ...emptyStreamsSnapshot(), own_streams: ["KV_busdeck_sampler"] };
    expect(viewsHealth({ streams, locks }).locks).toBe(1);
    expect(viewsHealth({ locks: { ...locks, locks: [lock("busdeck_sampler", "sampler")] }, streams }).locks).toBe(0);
  });

  it("overview - nothing known yet reads as zeros, not an error", () => {
    expect(viewsHealth({})).toEqual({ streams: 0, consumers: 0, lag_msgs: 0, outcomes: 0, errored: 0, locks: 0 });
  });
});

describe("overview evaluated line", () => {
  const now = Date.parse("2026-11-23T12:00:10.000Z");
  it("overview - an evaluation under a second old reads 'just now', older ones as an age, like the rest of the app", () => {
    expect(evaluatedText("2026-11-23T12:00:09.600Z", now)).toEqual({ text: "evaluated just now", stale: false });
    expect(evaluatedText("2026-11-23T12:00:00.000Z", now)).toEqual({ text: "evaluated 10s ago", stale: false });
  });
  it("overview - an old or missing evaluation is stale", () => {
    expect(evaluatedText("2026-11-23T11:59:00.000Z", now).stale).toBe(true);
    expect(evaluatedText(null, now)).toEqual({ text: "not evaluated yet", stale: true });
  });
});

describe("overview findings source", () => {
  const at = (evaluated_at: string | null) => ({ ...emptyFindingsSnapshot(), status: "ok" as const, evaluated_at });
  it("overview - the newer snapshot wins: a cache left behind by an earlier visit yields to the server's render", () => {
    const cached = at("2026-11-23T12:00:00.000Z");
    const rendered = at("2026-11-23T12:10:00.000Z");
    expect(newerFindings(cached, rendered)).toBe(rendered);
    expect(newerFindings(rendered, cached)).toBe(rendered);
    expect(newerFindings(undefined, cached)).toBe(cached);
    expect(newerFindings(null, undefined)).toBeNull();
  });
  it("overview - on a tie, or with nothing evaluated, the live one (first) wins", () => {
    const live = at("2026-11-23T12:00:00.000Z");
    expect(newerFindings(live, at("2026-11-23T12:00:00.000Z"))).toBe(live);
    const waiting = at(null);
    expect(newerFindings(waiting, at(null))).toBe(waiting);
  });
});
