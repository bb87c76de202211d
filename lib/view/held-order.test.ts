import { describe, expect, it } from "vitest";
import { holdOrder, rowsMoved } from "./held-order";

interface Row {
  id: string;
  lag: number;
}
const key = (r: Row) => r.id;
const ids = (rows: readonly Row[]) => rows.map(key);
const rows = (...spec: [string, number][]) => spec.map(([id, lag]) => ({ id, lag }));

describe("held-order", () => {
  it("held-order - rows keep the held order and carry their latest values", () => {
    const live = rows(["c", 90], ["a", 10], ["b", 5]);
    const shown = holdOrder(["a", "b", "c"], live, key);
    expect(ids(shown)).toEqual(["a", "b", "c"]);
    expect(shown.find((r) => r.id === "c")!.lag).toBe(90);
  });

  it("held-order - rows new since the hold are appended in their live order", () => {
    expect(ids(holdOrder(["a", "b"], rows(["y", 1], ["b", 1], ["x", 1], ["a", 1]), key))).toEqual(["a", "b", "y", "x"]);
  });

  it("held-order - rows gone since the hold are dropped", () => {
    expect(ids(holdOrder(["a", "b", "c"], rows(["c", 1], ["a", 1]), key))).toEqual(["a", "c"]);
  });

  it("held-order - an empty hold shows the live order", () => {
    expect(ids(holdOrder([], rows(["b", 1], ["a", 1]), key))).toEqual(["b", "a"]);
  });

  it("held-order - one row jumping places counts as one row moved", () => {
    const held = rows(["a", 1], ["b", 1], ["c", 1], ["d", 1], ["e", 1]);
    const live = rows(["a", 1], ["b", 1], ["d", 1], ["e", 1], ["c", 1]);
    expect(rowsMoved(held, live, key)).toBe(1);
    expect(rowsMoved(live, live, key)).toBe(0);
    expect(rowsMoved(held, [...held].reverse(), key)).toBe(4);
  });
});
