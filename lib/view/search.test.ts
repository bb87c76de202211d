import { describe, expect, it } from "vitest";
import { firstValue, firstValues, toSearchString } from "./search";

describe("search strings", () => {
  it("search - the first value of a key from URLSearchParams or a Next searchParams record", () => {
    const url = new URLSearchParams("a=1&a=2&b=");
    expect([firstValue(url, "a"), firstValue(url, "b"), firstValue(url, "c")]).toEqual(["1", "", undefined]);
    const record = { a: ["1", "2"], b: "", c: undefined };
    expect([firstValue(record, "a"), firstValue(record, "b"), firstValue(record, "c")]).toEqual(["1", "", undefined]);
    expect(firstValues(url)).toEqual({ a: "1", b: "" });
    expect(firstValues(record)).toEqual({ a: "1", b: "" });
  });

  it("search - written with a leading ? only when something is set", () => {
    expect(toSearchString(new URLSearchParams())).toBe("");
    expect(toSearchString(new URLSearchParams({ q: "a b" }))).toBe("?q=a+b");
  });
});
