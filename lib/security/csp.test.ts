import { describe, expect, it } from "vitest";
import { buildCsp } from "./csp";

describe("csp", () => {
  it("csp - scripts need the nonce; no inline or eval in production; no framing", () => {
    const csp = buildCsp("abc123");
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
  });

  it("csp - dev mode allows eval for React's tooling only", () => {
    expect(buildCsp("n", { dev: true })).toMatch(/script-src[^;]*'unsafe-eval'/);
  });
});
