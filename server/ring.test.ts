import { describe, expect, it } from "vitest";
import { SeqRing } from "./ring";

describe("seq ring", () => {
  it("seq ring - keeps the newest items up to capacity", () => {
    const r = new SeqRing<string>(3);
    for (let i = 1; i <= 5; i++) r.push(i * 10, `m${i}`);
    expect(r.length).toBe(3);
    expect(r.oldestSeq()).toBe(30);
    expect(r.newestSeq()).toBe(50);
    expect(r.latest(2)).toEqual(["m4", "m5"]);
  });

  it("seq ring - since() returns items strictly after a sequence, across the wrap", () => {
    const r = new SeqRing<string>(4);
    for (let i = 1; i <= 6; i++) r.push(i, `m${i}`);
    expect(r.since(4)).toEqual(["m5", "m6"]);
    expect(r.since(0)).toEqual(["m3", "m4", "m5", "m6"]);
    expect(r.since(6)).toEqual([]);
    expect(r.countSince(3)).toBe(3);
  });

  it("seq ring - empty ring answers without items", () => {
    const r = new SeqRing<number>(2);
    expect(r.oldestSeq()).toBeUndefined();
    expect(r.since(0)).toEqual([]);
    expect(r.latest(5)).toEqual([]);
  });
});
