import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseIgnoringBad, unknownFilterValue } from "./unknown-param";

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

  const schema = z
    .object({
      sort: z.enum(["name", "size"]).default("name"),
      q: z.string().max(5).optional(),
      from: z.string().optional(),
      to: z.string().optional(),
    })
    .refine((v) => !v.from || !v.to || v.from < v.to, { message: "must be after from", path: ["to"] });

  it("parse ignoring bad - each bad parameter is ignored and named with its value and why; the rest applies", () => {
    expect(parseIgnoringBad(schema, { sort: "nope", q: "abc" })).toEqual({
      value: { sort: "name", q: "abc" },
      ignored: ['sort: "nope" is not valid (Invalid option: expected one of "name"|"size")'],
    });
    expect(parseIgnoringBad(schema, { sort: "size", q: "toolong", from: "b", to: "a" })).toEqual({
      value: { sort: "size", from: "b" },
      ignored: ['q: "toolong" is not valid (Too big: expected string to have <=5 characters)', 'to: "a" is not valid (must be after from)'],
    });
    expect(parseIgnoringBad(schema, { sort: "size" }).ignored).toEqual([]);
  });

  it("parse ignoring bad - a long value is cut short in the message", () => {
    const { ignored } = parseIgnoringBad(schema, { q: "y".repeat(100) });
    expect(ignored[0]).toContain(`"${"y".repeat(60)}…"`);
    expect(ignored[0]!.length).toBeLessThan(140);
  });
});
