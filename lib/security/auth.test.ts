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
  sessionCookieName,
  withoutTokenParam,
  type AuthConfig,
} from "./auth";

const TOKEN = "s3cret-token-0123456789";
const OPERATOR_TOKEN = "op3rator-token-9876543210";
const basicHeader = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("auth config", () => {
  it("auth config - none is the default and allowed on loopback", () => {
    expect(parseAuthConfig({})).toEqual({ mode: "none", allowedHosts: [] });
    expect(parseAuthConfig({ BUSDECK_HOST: "::1" })).toEqual({ mode: "none", allowedHosts: [] });
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
    expect(parseAuthConfig({ BUSDECK_AUTH: "token", BUSDECK_AUTH_TOKEN: TOKEN, BUSDECK_HOST: "0.0.0.0" })).toEqual({
      mode: "token",
      token: TOKEN,
      session: { ttlMs: 12 * 3_600_000, epoch: "" },
    });
  });

  it("auth config - an operator token is checked like the viewer token and must differ from it", () => {
    const env = { BUSDECK_AUTH: "token", BUSDECK_AUTH_TOKEN: TOKEN, BUSDECK_HOST: "0.0.0.0" };
    expect(parseAuthConfig({ ...env, BUSDECK_AUTH_OPERATOR_TOKEN: OPERATOR_TOKEN })).toMatchObject({
      token: TOKEN,
      operatorToken: OPERATOR_TOKEN,
    });
    expect(() => parseAuthConfig({ ...env, BUSDECK_AUTH_OPERATOR_TOKEN: "short" })).toThrow(/BUSDECK_AUTH_OPERATOR_TOKEN: .*at least 16/);
    expect(() => parseAuthConfig({ ...env, BUSDECK_AUTH_OPERATOR_TOKEN: "has a space in it!!" })).toThrow(
      /BUSDECK_AUTH_OPERATOR_TOKEN: printable/,
    );
    expect(() => parseAuthConfig({ ...env, BUSDECK_AUTH_OPERATOR_TOKEN: TOKEN })).toThrow(/must differ/);
  });

  it("auth config - basic mode needs users", () => {
    expect(() => parseAuthConfig({ BUSDECK_AUTH: "basic" })).toThrow(/BUSDECK_AUTH_USERS/);
  });

  it("auth config - proxy mode defaults to X-Forwarded-User and validates header names", () => {
    expect(parseAuthConfig({ BUSDECK_AUTH: "proxy" })).toEqual({ mode: "proxy", userHeader: "x-forwarded-user", roleHeader: undefined });
    expect(parseAuthConfig({ BUSDECK_AUTH: "proxy", BUSDECK_AUTH_PROXY_ROLE_HEADER: "X-Forwarded-Groups" })).toMatchObject({
      roleHeader: "x-forwarded-groups",
    });
    expect(() => parseAuthConfig({ BUSDECK_AUTH: "proxy", BUSDECK_AUTH_PROXY_HEADER: "x user" })).toThrow(/BUSDECK_AUTH_PROXY_HEADER/);
  });
});

describe("auth users", () => {
  it("auth users - one entry per line, role defaults to viewer, colons stay in the password", () => {
    expect(parseAuthUsers("ann:password-one:operator\r\n  bob:password-two  \n# comment\ncid:pass:word-three:viewer")).toEqual([
      { name: "ann", password: "password-one", role: "operator" },
      { name: "bob", password: "password-two", role: "viewer" },
      { name: "cid", password: "pass:word-three", role: "viewer" },
    ]);
  });

  it("auth users - a comma in a password stays in the password instead of making a phantom user", () => {
    // main split on commas: "ann:secret,x:operator-pw-1" became ann/"secret" plus a user "x" with password "operator-pw-1".
    expect(parseAuthUsers("ann:correct,horse battery:operator")).toEqual([
      { name: "ann", password: "correct,horse battery", role: "operator" },
    ]);
  });

  it("auth users - a line that reads like several comma-separated entries is refused, naming the line", () => {
    expect(() => parseAuthUsers("# users\nann:password-one:operator,bob:password-two")).toThrow(
      /line 2: looks like several entries.*one user per line/,
    );
  });

  it("auth users - short passwords are refused", () => {
    expect(() => parseAuthUsers("ann:short:operator")).toThrow(/ann.*at least 12 characters/);
    expect(() => parseAuthUsers("ann::operator")).toThrow(/at least 12/);
  });

  it("auth users - malformed and duplicate entries are refused", () => {
    expect(() => parseAuthUsers("nopassword")).toThrow(/line 1: not user:password/);
    expect(() => parseAuthUsers("ann:password-one\nann:password-two")).toThrow(/twice/);
    expect(() => parseAuthUsers("a nn:password-one")).toThrow(/whitespace/);
  });
});

describe("auth config hosts and sessions", () => {
  it("auth config hosts and sessions - BUSDECK_ALLOWED_HOSTS is validated at start and lower-cased", () => {
    expect(parseAuthConfig({ BUSDECK_ALLOWED_HOSTS: "Dash.Example.com, [::1] ,busdeck" })).toEqual({
      mode: "none",
      allowedHosts: ["dash.example.com", "[::1]", "busdeck"],
    });
    for (const bad of ["http://dash.example", "dash.example:3000", "a/b", "a b"]) {
      expect(() => parseAuthConfig({ BUSDECK_ALLOWED_HOSTS: bad }), bad).toThrow(/BUSDECK_ALLOWED_HOSTS/);
    }
  });

  it("auth config hosts and sessions - the token cookie's lifetime and epoch come from the environment", () => {
    const env = { BUSDECK_AUTH: "token", BUSDECK_AUTH_TOKEN: TOKEN, BUSDECK_AUTH_SESSION_TTL_H: "0.5", BUSDECK_AUTH_SESSION_EPOCH: "2" };
    expect(parseAuthConfig(env)).toMatchObject({ session: { ttlMs: 1_800_000, epoch: "2" } });
    for (const bad of ["0", "-1", "soon", "99999"]) {
      expect(() => parseAuthConfig({ ...env, BUSDECK_AUTH_SESSION_TTL_H: bad }), bad).toThrow(/BUSDECK_AUTH_SESSION_TTL_H/);
    }
  });

  it("auth config hosts and sessions - the cookie is __Host- prefixed only when it can be Secure", () => {
    expect(sessionCookieName(true)).toBe("__Host-busdeck_session");
    expect(sessionCookieName(false)).toBe("busdeck_session");
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
  const token: AuthConfig = { mode: "token", token: TOKEN, session: { ttlMs: 3_600_000, epoch: "" } };
  const basic: AuthConfig = {
    mode: "basic",
    users: [
      { name: "ann", password: "pw1", role: "operator" },
      { name: "bob", password: "pw2", role: "viewer" },
    ],
  };
  const validSession = (cookie: string) => (cookie === "sess" ? ("viewer" as const) : cookie === "op-sess" ? ("operator" as const) : null);
  const proxy: AuthConfig = { mode: "proxy", userHeader: "x-forwarded-user", roleHeader: "x-role" };

  it("auth decisions - none lets the local user in", () => {
    expect(authenticate({ mode: "none", allowedHosts: [] }, {})).toMatchObject({ ok: true, role: "operator" });
  });

  it("auth decisions - token accepts a bearer header, a session cookie and a query visit", () => {
    expect(authenticate(token, { authorization: `Bearer ${TOKEN}` })).toEqual({ ok: true, user: "token", role: "viewer" });
    expect(authenticate(token, { sessionCookie: "sess" }, validSession)).toMatchObject({ ok: true, role: "viewer" });
    expect(authenticate(token, { queryToken: TOKEN }, validSession)).toMatchObject({ ok: true, fromQuery: true });
  });

  it("auth decisions - an operator token grants operator by header, visit and cookie; the viewer token stays viewer", () => {
    const both: AuthConfig = { ...token, operatorToken: OPERATOR_TOKEN } as AuthConfig;
    expect(authenticate(both, { authorization: `Bearer ${OPERATOR_TOKEN}` })).toEqual({
      ok: true,
      user: "operator-token",
      role: "operator",
    });
    expect(authenticate(both, { queryToken: OPERATOR_TOKEN })).toMatchObject({ role: "operator", fromQuery: true });
    expect(authenticate(both, { sessionCookie: "op-sess" }, validSession)).toMatchObject({ role: "operator" });
    expect(authenticate(both, { authorization: `Bearer ${TOKEN}` })).toEqual({ ok: true, user: "token", role: "viewer" });
    expect(authenticate(both, { sessionCookie: "sess" }, validSession)).toMatchObject({ role: "viewer" });
    // Without an operator token configured, nothing a token visitor presents makes them operator.
    expect(authenticate(token, { authorization: `Bearer ${OPERATOR_TOKEN}` }).ok).toBe(false);
  });

  it("auth decisions - token refuses wrong or missing credentials with a Bearer challenge", () => {
    for (const creds of [
      {},
      { authorization: "Bearer nope" },
      { queryToken: "nope" },
      { sessionCookie: "other" },
      { authorization: basicHeader("a", TOKEN) },
    ]) {
      const d = authenticate(token, creds, validSession);
      expect(d.ok, JSON.stringify(creds)).toBe(false);
      expect(d.ok === false && d.challenge).toBe('Bearer realm="busdeck"');
    }
  });

  it("auth decisions - wrong credentials are marked as presented (they count as a failed login), missing ones are not", () => {
    expect(authenticate(basic, { authorization: basicHeader("ann", "nope") })).toMatchObject({ ok: false, presented: true });
    expect(authenticate(token, { authorization: "Bearer nope" })).toMatchObject({ ok: false, presented: true });
    expect(authenticate(basic, {})).not.toHaveProperty("presented");
  });

  it("auth decisions - a wrong bearer is not rescued by a valid cookie", () => {
    expect(authenticate(token, { authorization: "Bearer wrong", sessionCookie: "sess" }, validSession).ok).toBe(false);
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
    expect(authenticate(proxy, { headers: headers({ "x-forwarded-user": "ann@example.com" }) })).toEqual({
      ok: true,
      user: "ann@example.com",
      role: "viewer",
    });
    expect(authenticate(proxy, { headers: headers({ "x-forwarded-user": "ann", "x-role": "Operator" }) })).toMatchObject({
      role: "operator",
    });
    expect(authenticate(proxy, { headers: headers({ "x-forwarded-user": "  " }) }).ok).toBe(false);
    expect(authenticate(proxy, { headers: headers({}) })).toMatchObject({ ok: false, challenge: undefined });
  });

  it("auth decisions - the server's own warm-up requests pass the gate in every mode", () => {
    const utf8: AuthConfig = { mode: "basic", users: parseAuthUsers("zoë:pässwörd-länger") };
    for (const config of [{ mode: "none", allowedHosts: [] } as AuthConfig, token, basic, utf8, proxy]) {
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
