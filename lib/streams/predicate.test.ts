import { describe, expect, it } from "vitest";
import { evaluatePredicate, parsePredicate, PredicateSyntaxError, PREDICATE_LIMITS } from "./predicate";

const matches = (src: string, payload: unknown) => evaluatePredicate(parsePredicate(src), payload);
const routing = { selectedModel: "gemini-pro", estimatedCost: 0.02, tags: ["fast", "cheap"], meta: { region: "eu-west", retries: 0 } };

describe("predicate", () => {
  it("predicate - the issue's example matches and its negation does not", () => {
    expect(matches('selectedModel == "gemini-pro" && estimatedCost > 0.01', routing)).toBe(true);
    expect(matches('selectedModel == "gemini-pro" && estimatedCost > 0.05', routing)).toBe(false);
  });

  it("predicate - or, not, parentheses and precedence (&& binds tighter than ||)", () => {
    expect(matches('selectedModel == "gpt-4" || estimatedCost >= 0.02 && !meta.retries', routing)).toBe(true);
    expect(matches('(selectedModel == "gpt-4" || estimatedCost >= 0.02) && meta.retries', routing)).toBe(false);
    expect(matches("!(estimatedCost < 0.01)", routing)).toBe(true);
  });

  it("predicate - nested paths, array indexes, quoted keys, contains", () => {
    expect(matches('meta.region == "eu-west"', routing)).toBe(true);
    expect(matches('tags[1] == "cheap"', routing)).toBe(true);
    expect(matches("meta['region'] ~= 'EU'", routing)).toBe(true);
    expect(matches('tags[5] == "x"', routing)).toBe(false);
  });

  it("predicate - missing fields and mixed types compare false, null matches missing", () => {
    expect(matches("nope > 1", routing)).toBe(false);
    expect(matches('estimatedCost > "0"', routing)).toBe(false);
    expect(matches("nope == null", routing)).toBe(true);
    expect(matches("nope != null", routing)).toBe(false);
    expect(matches("selectedModel", "not an object")).toBe(false);
  });

  it("predicate - prototype properties are not reachable", () => {
    expect(matches("constructor", routing)).toBe(false);
    expect(matches("__proto__", routing)).toBe(false);
    expect(matches('constructor.name == "Object"', routing)).toBe(false);
    expect(matches("tags.length > 0", routing)).toBe(false);
    expect(matches("toString != null", {})).toBe(false);
    expect(matches("__proto__ == 1", JSON.parse('{"__proto__": 1}'))).toBe(true);
  });

  it("predicate - syntax errors name the position", () => {
    expect(() => parsePredicate('a == "x')).toThrow(/unterminated string at position 6/);
    expect(() => parsePredicate("a == ")).toThrow(PredicateSyntaxError);
    expect(() => parsePredicate("a === 1")).toThrow(/unexpected character "=" at position 5/);
    expect(() => parsePredicate("a == )")).toThrow(/expected a value/);
    expect(() => parsePredicate("(a == 1")).toThrow(/expected "\)"/);
    expect(() => parsePredicate("a == 1 b")).toThrow(/unexpected input/);
    expect(() => parsePredicate("")).toThrow(/empty predicate/);
    expect(() => parsePredicate("a == 1; process.exit()")).toThrow(/unexpected character ";"/);
  });

  it("predicate - hostile input fails fast instead of overflowing the stack or executing code", () => {
    expect(() => parsePredicate("(".repeat(100_000) + "a" + ")".repeat(100_000))).toThrow(/longer than/);
    expect(() => parsePredicate("(".repeat(200) + "a" + ")".repeat(200))).toThrow(/nested too deeply/);
    expect(() => parsePredicate("!".repeat(500) + "a")).toThrow(/nested too deeply/);
    expect(() => parsePredicate(Array.from({ length: 300 }, () => "a").join("&&"))).toThrow(/more than/);
    expect(() => parsePredicate("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r")).toThrow(/field path longer/);
    expect(() => parsePredicate("a == 1e999")).toThrow(/number out of range/);
    expect(() => parsePredicate("a == `x`")).toThrow(/unexpected character/);
    expect(() => parsePredicate('a == "x".constructor("return 1")()')).toThrow(PredicateSyntaxError);
    expect("x".repeat(PREDICATE_LIMITS.maxLength)).toHaveLength(PREDICATE_LIMITS.maxLength);
  });

  it("predicate - escapes in strings", () => {
    expect(matches('q == "say \\"hi\\""', { q: 'say "hi"' })).toBe(true);
    expect(matches("q == 'it\\'s'", { q: "it's" })).toBe(true);
  });
});
