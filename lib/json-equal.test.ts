import { describe, expect, it } from "vitest";
import { jsonEqual } from "./json-equal";

describe("json equal", () => {
  it("json equal - equal nested values regardless of key order", () => {
    expect(jsonEqual({ a: 1, b: { c: [1, 2, { d: "x" }] }, e: null }, { e: null, b: { c: [1, 2, { d: "x" }] }, a: 1 })).toBe(true);
  });
  it("json equal - tells a change at any depth", () => {
    const base = { a: 1, b: { c: [1, 2, { d: "x" }] } };
    expect(jsonEqual(base, { a: 1, b: { c: [1, 2, { d: "y" }] } })).toBe(false);
    expect(jsonEqual(base, { a: 1, b: { c: [1, 2] } })).toBe(false);
    expect(jsonEqual(base, { a: 2, b: base.b })).toBe(false);
  });
  it("json equal - a missing key, an extra key, null vs object and array vs object differ", () => {
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(jsonEqual({ a: null }, { a: {} })).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
    expect(jsonEqual({}, [])).toBe(false);
  });
  it("json equal - undefined properties count as absent, as JSON.stringify drops them", () => {
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(true);
  });
  it("json equal - primitives compare by value and type", () => {
    expect(jsonEqual(0, -0)).toBe(true);
    expect(jsonEqual("1", 1)).toBe(false);
  });
});
