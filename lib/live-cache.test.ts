import { describe, expect, it } from "vitest";
import { applyFeedEvent, topicsForPath } from "./live-cache";
import type { OutcomeRecord } from "./outcomes";

const rec = (id: string): OutcomeRecord => ({ id, subject: "s", handler_id: "h", received_at: "t", size: 1, valid: false, raw: "x", error: "e" });

describe("live cache", () => {
  it("live cache - appends newest first and caps the list", () => {
    let list = applyFeedEvent<"outcomes">(undefined, { type: "feed_reset", topic: "outcomes", items: [rec("1"), rec("2")] });
    expect(list.map((r) => r.id)).toEqual(["2", "1"]);
    list = applyFeedEvent<"outcomes">(list, { type: "feed_append", topic: "outcomes", items: [rec("3"), rec("4")] }, 3);
    expect(list.map((r) => r.id)).toEqual(["4", "3", "2"]);
  });

  it("live cache - a reset replaces rather than merges", () => {
    const list = applyFeedEvent<"outcomes">([rec("old")], { type: "feed_reset", topic: "outcomes", items: [rec("9")] });
    expect(list.map((r) => r.id)).toEqual(["9"]);
  });
});

describe("topics for path", () => {
  const all = ["connection", "streams", "consumers", "outcomes", "lock_events", "brand_new"] as never[];
  it("topics for path - leaves heavy feeds off pages that never show them", () => {
    expect(topicsForPath("/consumers/routing-decisions/api-consumer", all)).toEqual(["connection", "streams", "consumers", "brand_new"]);
    expect(topicsForPath("/outcomes", all)).not.toContain("consumers");
  });
  it("topics for path - unknown pages and new topics get everything", () => {
    expect(topicsForPath("/", all)).toEqual(all);
    expect(topicsForPath("/streamsfoo", all)).toEqual(all);
  });
});
