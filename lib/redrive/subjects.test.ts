import { describe, expect, it } from "vitest";
import { anyFilterMatches, literalSubjectProblem, subjectMatches } from "./subjects";

describe("redrive subjects", () => {
  it("redrive subjects - a literal filter matches only the same subject", () => {
    expect(subjectMatches("orders.created", "orders.created")).toBe(true);
    expect(subjectMatches("orders.created", "orders.created.eu")).toBe(false);
    expect(subjectMatches("orders.created", "orders")).toBe(false);
  });

  it("redrive subjects - '*' matches exactly one token, anywhere", () => {
    expect(subjectMatches("orders.*", "orders.created")).toBe(true);
    expect(subjectMatches("orders.*", "orders.created.eu")).toBe(false);
    expect(subjectMatches("orders.*", "orders")).toBe(false);
    expect(subjectMatches("*.created", "orders.created")).toBe(true);
    expect(subjectMatches("orders.*.eu", "orders.created.eu")).toBe(true);
    expect(subjectMatches("orders.*.eu", "orders.created.us")).toBe(false);
  });

  it("redrive subjects - '>' matches one or more trailing tokens, never zero", () => {
    expect(subjectMatches("orders.>", "orders.created")).toBe(true);
    expect(subjectMatches("orders.>", "orders.created.eu.1")).toBe(true);
    expect(subjectMatches("orders.>", "orders")).toBe(false);
    expect(subjectMatches(">", "anything.at.all")).toBe(true);
    expect(subjectMatches("*.>", "orders")).toBe(false);
    expect(subjectMatches("*.>", "orders.x")).toBe(true);
  });

  it("redrive subjects - a consumer without filters receives every subject; with filters, any one that matches", () => {
    expect(anyFilterMatches([], "a.b")).toBe(true);
    expect(anyFilterMatches(["x.>", "a.*"], "a.b")).toBe(true);
    expect(anyFilterMatches(["x.>", "a.*.c"], "a.b")).toBe(false);
  });

  it("redrive subjects - a publish target must be literal", () => {
    expect(literalSubjectProblem("orders.created")).toBeNull();
    expect(literalSubjectProblem("orders.*")).toMatch(/without wildcards/);
    expect(literalSubjectProblem("orders.>")).toMatch(/without wildcards/);
    expect(literalSubjectProblem("orders..x")).toMatch(/empty token/);
    expect(literalSubjectProblem("orders created")).toMatch(/whitespace/);
    expect(literalSubjectProblem("")).toMatch(/empty/);
  });
});
