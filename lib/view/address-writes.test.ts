import { describe, expect, it } from "vitest";
import { addressOf, currentAddress, NO_WRITES, routerShows, searchOf, wrote } from "./address-writes";

const at = (...steps: ["write" | "route", string][]) =>
  steps.reduce((w, [kind, a]) => (kind === "write" ? wrote(w, a) : routerShows(w, a)), NO_WRITES);

describe("address-writes", () => {
  it("address-writes - a write is current at once, before the router shows it", () => {
    expect(currentAddress(at(["route", "/o"], ["write", "/o?h=a"]))).toBe("/o?h=a");
  });

  it("address-writes - the router showing an older write does not undo a newer one", () => {
    const w = at(["route", "/o"], ["write", "/o?h=a"], ["write", "/o?h=a&s=high"], ["route", "/o?h=a"]);
    expect(currentAddress(w)).toBe("/o?h=a&s=high");
    expect(w.pending).toEqual(["/o?h=a&s=high"]);
  });

  it("address-writes - once the router shows the newest write nothing is pending", () => {
    const w = at(["route", "/o"], ["write", "/o?h=a"], ["write", "/o?h=b"], ["route", "/o?h=a"], ["route", "/o?h=b"]);
    expect(w.pending).toEqual([]);
    expect(currentAddress(w)).toBe("/o?h=b");
  });

  it("address-writes - an address nobody here wrote (a link, back) is adopted and drops pending writes", () => {
    const w = at(["route", "/o"], ["write", "/o?h=a"], ["route", "/c?sort=lag"]);
    expect(currentAddress(w)).toBe("/c?sort=lag");
    expect(w.pending).toEqual([]);
  });

  it("address-writes - the same address written twice waits for its second showing", () => {
    const w = at(["route", "/o"], ["write", "/o?h=a"], ["write", "/o?h=b"], ["write", "/o?h=a"], ["route", "/o?h=a"]);
    expect(currentAddress(w)).toBe("/o?h=a");
    expect(w.pending).toEqual(["/o?h=b", "/o?h=a"]);
  });

  it("address-writes - pending writes are bounded, the newest kept", () => {
    let w = NO_WRITES;
    for (let i = 0; i < 1000; i++) w = wrote(w, `/o?i=${i}`);
    expect(w.pending.length).toBeLessThanOrEqual(64);
    expect(currentAddress(w)).toBe("/o?i=999");
  });

  it("address-writes - one spelling whatever the query's encoding and leading ?", () => {
    expect(addressOf("/o", "?from=2026-12-07T10:00:00Z&x=a b")).toBe(addressOf("/o", "from=2026-12-07T10%3A00%3A00Z&x=a+b"));
    expect(addressOf("/o", "")).toBe("/o");
    expect(searchOf(addressOf("/o", "?a=1"))).toBe("a=1");
    expect(searchOf("/o")).toBe("");
  });
});
