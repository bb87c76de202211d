import { describe, expect, it } from "vitest";
import { describeClampedSeq, explainMissingMessage } from "./messages";

describe("missing message", () => {
  const bounds = { first_seq: 1, last_seq: 4120, messages: 4100 };

  it("missing message - past the end names the range held and offers the last", () => {
    expect(explainMissingMessage("llm-requests", 99_999_999_999_999, bounds)).toEqual({
      reason: "llm-requests holds #1–4,120; #99,999,999,999,999 is past the end",
      next: { seq: 4120, label: "jump to the last" },
    });
  });

  it("missing message - before the first kept says expired, within the range says deleted, an empty stream offers nothing", () => {
    expect(explainMissingMessage("S", 3, { first_seq: 10, last_seq: 20, messages: 11 })).toMatchObject({
      reason: "S holds #10–20; #3 has expired or was purged",
      next: { seq: 10 },
    });
    expect(explainMissingMessage("S", 12, { first_seq: 10, last_seq: 20, messages: 10 })).toMatchObject({
      reason: "S holds #10–20, but #12 was deleted",
      next: { seq: 13 },
    });
    expect(explainMissingMessage("S", 5, { first_seq: 21, last_seq: 20, messages: 0 }).next).toBeNull();
  });
});

describe("clamped seq", () => {
  const page = { stream: "S", first_seq: 10, last_seq: 2_000, from_seq: 2_000 };

  it("clamped seq - past the end or before the oldest kept says so and names where the page starts", () => {
    expect(describeClampedSeq(99_999, page)).toBe("seq #99,999 is past the end of S (it holds #10–2,000): clamped to #2,000");
    expect(describeClampedSeq(3, { ...page, from_seq: 10 })).toBe(
      "seq #3 is older than the oldest message S keeps (it holds #10–2,000): clamped to #10",
    );
  });

  it("clamped seq - a seq inside the stream, no seq, or an empty stream is no clamp", () => {
    expect(describeClampedSeq(2_000, page)).toBeNull();
    expect(describeClampedSeq(undefined, page)).toBeNull();
    expect(describeClampedSeq(5, { ...page, first_seq: 21, last_seq: 20, from_seq: 21 })).toBeNull();
  });
});
