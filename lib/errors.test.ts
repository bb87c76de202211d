import { describe, expect, it } from "vitest";
import { describeError, isReplicaShortage, isRevisionConflict } from "./errors";

describe("describeError", () => {
  it("uses an error's message, falling back to its name, and stringifies anything else", () => {
    expect(describeError(new Error("boom"))).toBe("boom");
    expect(describeError(new TypeError(""))).toBe("TypeError");
    expect(describeError("plain")).toBe("plain");
    expect(describeError(42)).toBe("42");
  });
});

describe("isRevisionConflict", () => {
  it("recognises JetStream's wrong-last-sequence codes and message", () => {
    expect(isRevisionConflict(Object.assign(new Error("x"), { code: 10071 }))).toBe(true);
    expect(isRevisionConflict(Object.assign(new Error("x"), { code: 10164 }))).toBe(true);
    expect(isRevisionConflict(new Error("wrong last sequence: 41"))).toBe(true);
  });
  it("does not mistake other failures for a lost race", () => {
    expect(isRevisionConflict(new Error("timeout"))).toBe(false);
    expect(isRevisionConflict(Object.assign(new Error("x"), { code: 503 }))).toBe(false);
    expect(isRevisionConflict(undefined)).toBe(false);
  });
});

describe("isReplicaShortage", () => {
  it("recognises a single server's and a small cluster's refusals of replicated storage", () => {
    expect(isReplicaShortage(new Error("replicas > 1 not supported in non-clustered mode"))).toBe(true);
    expect(isReplicaShortage(Object.assign(new Error("x"), { code: 10005 }))).toBe(true);
    expect(isReplicaShortage(new Error("insufficient resources"))).toBe(true);
  });
  it("leaves every other failure alone", () => {
    expect(isReplicaShortage(new Error("stream name already in use"))).toBe(false);
    expect(isReplicaShortage(Object.assign(new Error("x"), { code: 10071 }))).toBe(false);
  });
});
