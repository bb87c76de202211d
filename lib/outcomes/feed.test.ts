import { describe, expect, it } from "vitest";
import { countNewSince, mergeFeed } from "./feed";
import type { OutcomeRow } from "./outcome";

const r = (id: string, at: string, handler = "h", seq?: number): OutcomeRow => ({
  id,
  handler_id: handler,
  received_at: at,
  stream_seq: seq,
  valid: false,
  raw: "x",
  error: "e",
});

describe("outcome feed", () => {
  it("outcome-feed - merges live and stored records once each, newest first, filtered", () => {
    const live = [r("3", "2026-11-23T14:00:03Z", "a", 3), r("2", "2026-11-23T14:00:02Z", "b", 2)];
    const stored = [r("2", "2026-11-23T14:00:02Z", "b", 2), r("1", "2026-11-23T14:00:01Z", "a", 1)];
    expect(mergeFeed(live, stored, {}).map((x) => x.id)).toEqual(["3", "2", "1"]);
    expect(mergeFeed(live, stored, { handler: "a" }).map((x) => x.id)).toEqual(["3", "1"]);
    expect(mergeFeed(live, stored, {}, 2).map((x) => x.id)).toEqual(["3", "2"]);
  });

  it("outcome-feed - a live-only record and its stored copy are one record", () => {
    const liveOnly = { ...r("live-1", "2026-11-23T14:00:00.100Z", "a"), msg_id: "m1" };
    const stored = { ...r("7", "2026-11-23T14:00:00.090Z", "a", 7), msg_id: "m1" };
    expect(mergeFeed([liveOnly], [stored], {}).map((x) => x.id)).toEqual(["live-1"]);
  });

  it("outcome-feed - equal times order by stream sequence", () => {
    expect(mergeFeed([r("5", "2026-11-23T14:00:00Z", "a", 5), r("6", "2026-11-23T14:00:00Z", "a", 6)], [], {}).map((x) => x.id)).toEqual([
      "6",
      "5",
    ]);
  });

  it("outcome-feed - counts records that arrived above the frozen head", () => {
    const list = [r("9", "t"), r("8", "t"), r("7", "t")];
    expect(countNewSince(list, "7")).toBe(2);
    expect(countNewSince(list, "9")).toBe(0);
    // The head fell out of the bounded cache: everything shown is new.
    expect(countNewSince(list, "1")).toBe(3);
  });
});
