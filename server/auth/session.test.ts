import { describe, expect, it } from "vitest";
import { issueSession, sessionValid } from "./session";

const TOKEN = "0123456789abcdef-token";
const settings = { ttlMs: 3_600_000, epoch: "" };
const T0 = Date.UTC(2026, 11, 7);

describe("token session cookie", () => {
  it("token session cookie - valid until its lifetime ends, checked on the server", () => {
    const cookie = issueSession(TOKEN, settings, T0);
    expect(cookie).toMatch(/^\d+\.[\w-]{43}$/);
    expect(cookie).not.toContain(TOKEN);
    expect(sessionValid(TOKEN, settings, cookie, T0 + 3_599_000)).toBe(true);
    expect(sessionValid(TOKEN, settings, cookie, T0 + 3_600_000)).toBe(false);
  });

  it("token session cookie - a new epoch revokes every cookie issued before it, without a new token", () => {
    const cookie = issueSession(TOKEN, settings, T0);
    expect(sessionValid(TOKEN, { ...settings, epoch: "2" }, cookie, T0 + 1000)).toBe(false);
  });

  it("token session cookie - a moved date, another token's cookie or garbage is refused", () => {
    const [, mac] = issueSession(TOKEN, settings, T0).split(".");
    expect(sessionValid(TOKEN, settings, `${Math.floor(T0 / 1000) + 1000}.${mac}`, T0 + 2_000_000)).toBe(false);
    expect(sessionValid(TOKEN, settings, issueSession("another-token-0123456", settings, T0), T0)).toBe(false);
    expect(sessionValid(TOKEN, settings, issueSession(TOKEN, settings, T0 + 3_600_000), T0)).toBe(false); // issued in the future
    for (const junk of ["", "x", "1.2", `${T0}.`]) expect(sessionValid(TOKEN, settings, junk, T0)).toBe(false);
  });
});
