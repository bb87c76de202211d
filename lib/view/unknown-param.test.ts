import { describe, expect, it } from "vitest";
import { unknownFilterValue } from "./unknown-param";

describe("unknown filter values", () => {
  it("unknown filter values - a value naming nothing known is named with what is known", () => {
    expect(unknownFilterValue("stream", "nope", ["a", "b"], "stream with consumers named")).toBe(
      'stream: no stream with consumers named "nope" (2 known: a, b)',
    );
    expect(unknownFilterValue("handler", "x", ["1", "2", "3", "4", "5", "6"], "handler named")).toBe(
      'handler: no handler named "x" (6 known: 1, 2, 3, 4, 5, …)',
    );
    expect(unknownFilterValue("handler", "x", [], "handler named")).toBe('handler: no handler named "x" (none is known yet)');
  });

  it("unknown filter values - a known or unset value is fine", () => {
    expect(unknownFilterValue("stream", "a", ["a"], "stream named")).toBeNull();
    expect(unknownFilterValue("stream", "", ["a"], "stream named")).toBeNull();
    expect(unknownFilterValue("stream", undefined, [], "stream named")).toBeNull();
  });
});
