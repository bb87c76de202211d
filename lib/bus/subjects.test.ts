import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { filterCovers, MAX_SUBJECT_LENGTH, parseSubject, subjectsOverlap, tokensOf } from "./subjects";

const overlap = (a: string, b: string) => subjectsOverlap(tokensOf(a), tokensOf(b));
const covers = (filter: string, question: string) => filterCovers(tokensOf(filter), tokensOf(question));
const problemOf = (text: string) => {
  const r = parseSubject(text);
  return r.ok ? null : r.problem;
};

describe("subjects - parsing", () => {
  it("subjects - literal and wildcard subjects parse into tokens", () => {
    expect(parseSubject("orders.eu.created")).toEqual({
      ok: true,
      subject: { text: "orders.eu.created", tokens: ["orders", "eu", "created"], wildcard: false },
    });
    expect(parseSubject("orders.*.>")).toMatchObject({ ok: true, subject: { wildcard: true } });
    expect(parseSubject(">")).toMatchObject({ ok: true, subject: { tokens: [">"], wildcard: true } });
    expect(parseSubject("$JS.API.INFO")).toMatchObject({ ok: true });
  });

  it("subjects - each malformed subject is refused with the problem named", () => {
    expect(problemOf("")).toBe("empty subject");
    expect(problemOf("foo..bar")).toMatch(/^empty token 2/);
    expect(problemOf(".foo")).toMatch(/^empty token 1/);
    expect(problemOf("foo.")).toMatch(/^empty token 2/);
    expect(problemOf("foo bar")).toMatch(/whitespace/);
    expect(problemOf("foo.\tbar")).toMatch(/whitespace/);
    expect(problemOf("foo.>.bar")).toBe('">" must be the last token (it is token 2 of 3)');
    expect(problemOf("foo*")).toMatch(/^wildcard inside token 1 "foo\*"/);
    expect(problemOf("foo.b>r")).toMatch(/^wildcard inside token 2/);
    expect(problemOf("x".repeat(MAX_SUBJECT_LENGTH + 1))).toMatch(/longer than/);
  });

  it("subjects - parsing never throws and accepts exactly the well-formed subjects (property)", () => {
    const token = fc.oneof(fc.constantFrom("*", ">", "", " ", "a*", "b>"), fc.stringMatching(/^[a-z0-9_$-]{1,4}$/));
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 6 }), (tokens) => {
        const text = tokens.join(".");
        const wellFormed = tokens.every((t, i) => t === "*" || (t === ">" && i === tokens.length - 1) || /^[a-z0-9_$-]+$/.test(t));
        expect(parseSubject(text).ok).toBe(wellFormed);
      }),
      { numRuns: 500 },
    );
  });
});

describe("subjects - matching as JetStream does", () => {
  it("subjects - a published subject against filters: * is one token, > one or more trailing tokens", () => {
    expect(overlap("orders.eu.created", "orders.eu.created")).toBe(true);
    expect(overlap("orders.eu.created", "orders.*.created")).toBe(true);
    expect(overlap("orders.eu.created", "orders.>")).toBe(true);
    expect(overlap("orders.eu.created", "*.>")).toBe(true);
    expect(overlap("orders.eu.created", ">")).toBe(true);
    expect(overlap("orders.eu.created", "orders.*")).toBe(false);
    expect(overlap("orders.eu.created", "orders.us.>")).toBe(false);
    expect(overlap("orders", "orders.>")).toBe(false); // > needs at least one token
    expect(overlap("orders", "orders.*")).toBe(false);
    expect(overlap("orders.eu", "orders")).toBe(false);
    expect(overlap("orders", "*")).toBe(true);
  });

  it("subjects - a wildcard question overlaps a filter when some subject matches both", () => {
    expect(overlap("orders.*", "orders.eu")).toBe(true);
    expect(overlap("orders.*", "orders.>")).toBe(true);
    expect(overlap("orders.*", "*.created")).toBe(true);
    expect(overlap("orders.*", "orders.*.created")).toBe(false);
    expect(overlap("orders.>", "orders.*.created")).toBe(true);
    expect(overlap("orders.>", "orders")).toBe(false);
    expect(overlap("orders.>", "billing.>")).toBe(false);
    expect(overlap("*.eu.*", "orders.*.created")).toBe(true);
    expect(overlap("*.eu.*", "orders.us.*")).toBe(false);
    expect(overlap(">", "a.b.c.d")).toBe(true);
  });

  it("subjects - a filter covers a question when every subject of the question matches it", () => {
    expect(covers("orders.>", "orders.*")).toBe(true);
    expect(covers("orders.>", "orders.>")).toBe(true);
    expect(covers("orders.*", "orders.>")).toBe(false);
    expect(covers("orders.eu", "orders.*")).toBe(false);
    expect(covers("orders.*", "orders.eu")).toBe(true);
    expect(covers(">", "a.b")).toBe(true);
    expect(covers("orders.>", "orders")).toBe(false);
    expect(covers("orders", "orders.>")).toBe(false);
  });

  // A reference: every literal subject of up to 5 tokens over a small alphabet, and a recursive matcher of its own.
  const alphabet = ["a", "b"];
  const literalsUpTo = (n: number): string[][] =>
    n === 0
      ? [[]]
      : [
          ...literalsUpTo(n - 1),
          ...literalsUpTo(n - 1)
            .filter((l) => l.length === n - 1)
            .flatMap((l) => alphabet.map((x) => [...l, x])),
        ];
  const LITERALS = literalsUpTo(5).filter((l) => l.length > 0);
  const matches = (filter: string[], literal: string[]): boolean =>
    filter[0] === ">"
      ? literal.length > 0
      : (filter.length > 0 &&
          literal.length > 0 &&
          (filter[0] === "*" || filter[0] === literal[0]) &&
          matches(filter.slice(1), literal.slice(1))) ||
        (filter.length === 0 && literal.length === 0);
  const filterArb = fc
    .array(fc.constantFrom("a", "b", "*"), { minLength: 1, maxLength: 3 })
    .chain((head) => fc.constantFrom(head, [...head, ">"]));

  it("subjects - overlap agrees with enumerating the subjects both match, and is symmetric (property)", () => {
    fc.assert(
      fc.property(filterArb, filterArb, (f, g) => {
        const both = LITERALS.some((l) => matches(f, l) && matches(g, l));
        expect(subjectsOverlap(f, g)).toBe(both);
        expect(subjectsOverlap(g, f)).toBe(both);
      }),
      { numRuns: 500 },
    );
  });

  it("subjects - covers agrees with enumeration: every subject of the question matches the filter (property)", () => {
    fc.assert(
      fc.property(filterArb, filterArb, (filter, question) => {
        const all = LITERALS.filter((l) => matches(question, l)).every((l) => matches(filter, l));
        expect(filterCovers(filter, question)).toBe(all);
      }),
      { numRuns: 500 },
    );
  });
});
