import { describe, expect, it } from "vitest";
import {
  authenticate,
  constantTimeEqual,
  isLoopbackHost,
  parseAuthConfig,
  parseAuthUsers,
  parseBasicAuthorization,
  roleFrom,
  selfRequestHeaders,
  withoutTokenParam,
  type AuthConfig,
} from "./auth";

const TOKEN = "s3cret-token-0123456789";
const basicHeader = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("auth config", () => {
  it("auth config - none is the default and allowed on loopback", () => {
    expect(parseAuthConfig({})).toEqual({ mode: "none" });
    expect(parseAuthConfig({ BUSDECK_HOST: "::1" })).toEqual({ mode: "none" });
  });

  it("auth config - none on a non-loopback host is refused naming both variables", () => {
    expect(() => parseAuthConfig({ BUSDECK_HOST: "0.0.0.0" })).toThrow(/BUSDECK_AUTH=none.*BUSDECK_HOST=0\.0\.0\.0/);
    expect(() => parseAuthConfig({ BUSDECK_AUTH: "none", BUSDECK_HOST: "10.1.2.3" })).toThrow(/BUSDECK_HOST/);
  });

  it("auth config - an unknown mode is refused", () => {
    expect(() => parseAuthConfig({ BUSDECK_AUTH: "oauth" })).toThrow(/BUSDECK_AUTH: expected one of none\|token\|basic\|proxy/);
  });

  it("auth config - token mode needs a long enough token", () => {
    expect(() => parseAuthConfig({ BUSDECK_AUTH: "token" })).toThrow(/BUSDECK_AUTH_TOKEN/);
    expect(() => parseAuthConfig({ BUSDECK_AUTH: "token", BUSDECK_AUTH_TOKEN: "short" })).toThrow(/at least 16/);
    expect(parseAuthConfig({ BUSDECK_AUTH: "token", BUSDECK_AUTH_TOKEN: TOKEN, BUSDECK_HOST: "0.0.0.0" })).toEqual({ mode: "token", token: TOKEN });
  });

  it("auth config - basic mode needs users", () => {
    expect(() => parseAuthConfig({ BUSDECK_AUTH: "basic" })).toThrow(/BUSDECK_AUTH_USERS/);
  });

  it("auth config - proxy mode defaults to X-Forwarded-User and validates header names", () => {
    expect(parseAuthConfig({ BUSDECK_AUTH: "proxy" })).toEqual({ mode: "proxy", userHeader: "x-forwarded-user", roleHeader: undefined });
    expect(parseAuthConfig({ BUSDECK_AUTH: "proxy", BUSDECK_AUTH_PROXY_ROLE_HEADER: "X-Forwarded-Groups" })).toMatchObject({ roleHeader: "x-forwarded-groups" });
    expect(() => parseAuthConfig({ BUSDECK_AUTH: "proxy", BUSDECK_AUTH_PROXY_HEADER: "x user" })).toThrow(/BUSDECK_AUTH_PROXY_HEADER/);
  });
});

describe("auth users", () => {
  it("auth users - parses entries from commas and lines, role defaults to viewer", () => {
    expect(parseAuthUsers("ann:pw1:operator, bob:pw2\n# comment\ncid:p:w:viewer")).toEqual([
      { name: "ann", password: "pw1", role: "operator" },
      { name: "bob", password: "pw2", role: "viewer" },
      { name: "cid", password: "p:w", role: "viewer" },
    ]);
  });

  it("auth users - malformed, empty-password and duplicate entries are refused", () => {
    expect(() => parseAuthUsers("nopassword")).toThrow(/entry 1/);
    expect(() => parseAuthUsers("ann::operator")).toThrow(/empty password/);
    expect(() => parseAuthUsers("ann:a,ann:b")).toThrow(/twice/);
  });
});

describe("auth loopback", () => {
  it("auth loopback - recognises loopback addresses only", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"]) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ["0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "127.0.0.256", "example.com", ""]) expect(isLoopbackHost(h), h).toBe(false);
  });
});

describe("auth compare", () => {
  it("auth compare - equal only for identical strings", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abd", "abc")).toBe(false);
    expect(constantTimeEqual("ab", "abc")).toBe(false);
    expect(constantTimeEqual("abcd", "abc")).toBe(false);
    expect(constantTimeEqual("", "abc")).toBe(false);
    expect(constantTimeEqual("é", "é")).toBe(true);
  });
});

describe("auth decisions", () => {
  const token: AuthConfig = { mode: "token", token: TOKEN };
  const basic: AuthConfig = { mode: "basic", users: parseAuthUsers("ann:pw1:operator,bob:pw2") };
  const proxy: AuthConfig = { mode: "proxy", userHeader: "x-forwarded-user", roleHeader: "x-role" };

  it("auth decisions - none lets the local user in", () => {
    expect(authenticate({ mode: "none" }, {})).toMatchObject({ ok: true, role: "operator" });
  });

  it("auth decisions - token accepts a bearer header, a session cookie and a query visit", () => {
    expect(authenticate(token, { authorization: `Bearer ${TOKEN}` })).toEqual({ ok: true, user: "token", role: "viewer" });
    expect(authenticate(token, { sessionCookie: "sess" }, "sess")).toMatchObject({ ok: true, role: "viewer" });
    expect(authenticate(token, { queryToken: TOKEN }, "sess")).toMatchObject({ ok: true, fromQuery: true });
  });

  it("auth decisions - token refuses wrong or missing credentials with a Bearer challenge", () => {
    for (const creds of [{}, { authorization: "Bearer nope" }, { queryToken: "nope" }, { sessionCookie: "other" }, { authorization: basicHeader("a", TOKEN) }]) {
      const d = authenticate(token, creds, "sess");
      expect(d.ok, JSON.stringify(creds)).toBe(false);
      expect(d.ok === false && d.challenge).toBe('Bearer realm="busdeck"');
    }
  });

  it("auth decisions - a wrong bearer is not rescued by a valid cookie", () => {
    expect(authenticate(token, { authorization: "Bearer wrong", sessionCookie: "sess" }, "sess").ok).toBe(false);
  });

  it("auth decisions - basic checks user and password and gives the user's role", () => {
    expect(authenticate(basic, { authorization: basicHeader("ann", "pw1") })).toEqual({ ok: true, user: "ann", role: "operator" });
    expect(authenticate(basic, { authorization: basicHeader("bob", "pw2") })).toEqual({ ok: true, user: "bob", role: "viewer" });
    expect(authenticate(basic, { authorization: basicHeader("bob", "pw1") }).ok).toBe(false);
    expect(authenticate(basic, { authorization: basicHeader("eve", "pw2") }).ok).toBe(false);
    const missing = authenticate(basic, {});
    expect(missing.ok === false && missing.challenge).toBe('Basic realm="busdeck", charset="UTF-8"');
  });

  it("auth decisions - proxy trusts the user header and reads the role header", () => {
    const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;
    expect(authenticate(proxy, { headers: headers({ "x-forwarded-user": "ann@example.com" }) })).toEqual({ ok: true, user: "ann@example.com", role: "viewer" });
    expect(authenticate(proxy, { headers: headers({ "x-forwarded-user": "ann", "x-role": "Operator" }) })).toMatchObject({ role: "operator" });
    expect(authenticate(proxy, { headers: headers({ "x-forwarded-user": "  " }) }).ok).toBe(false);
    expect(authenticate(proxy, { headers: headers({}) })).toMatchObject({ ok: false, challenge: undefined });
  });

  it("auth decisions - the server's own warm-up requests pass the gate in every mode", () => {
    const utf8: AuthConfig = { mode: "basic", users: parseAuthUsers("zoë:pässwörd") };
    for (const config of [{ mode: "none" } as const, token, basic, utf8, proxy]) {
      const h = selfRequestHeaders(config);
      const decision = authenticate(config, { authorization: h.authorization ?? null, headers: (name) => h[name] ?? null });
      expect(decision.ok, config.mode).toBe(true);
    }
  });

  it("auth decisions - a missing or unknown role header value means viewer", () => {
    expect(roleFrom(null)).toBe("viewer");
    expect(roleFrom("admin")).toBe("viewer");
    expect(roleFrom("operator")).toBe("operator");
  });
});

describe("auth parsing helpers", () => {
  it("auth parsing helpers - basic authorization decodes UTF-8 and keeps colons in passwords", () => {
    expect(parseBasicAuthorization(basicHeader("zoë", "a:b"))).toEqual({ user: "zoë", password: "a:b" });
    expect(parseBasicAuthorization("Basic !!!")).toBeNull();
    expect(parseBasicAuthorization(`Basic ${Buffer.from("nocolon").toString("base64")}`)).toBeNull();
    expect(parseBasicAuthorization(`Basic ${Buffer.from([0xff, 0x3a, 0x61]).toString("base64")}`)).toBeNull();
  });

  it("auth parsing helpers - the redirect URL drops only the token parameter", () => {
    expect(withoutTokenParam(new URL("http://h/streams?token=x&sort=name")).toString()).toBe("http://h/streams?sort=name");
  });
});
