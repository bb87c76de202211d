import { describe, expect, it } from "vitest";
import { parseOutcome } from "../outcomes/outcome";
import {
  buildRedactionRules,
  compilePatterns,
  DEFAULT_REDACT_PATTERNS,
  isSensitiveName,
  MAX_SCANNED_LINE,
  redactHeaders,
  redactJson,
  redactOutcome,
  redactPayload,
  redactText,
  REDACTED,
  summaryRedactor,
} from "./redaction";

const P = compilePatterns(DEFAULT_REDACT_PATTERNS);
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe("redaction", () => {
  it("redaction - names match case-insensitively by substring, ignoring separators", () => {
    for (const n of [
      "token",
      "access_token",
      "X-Auth-Token",
      "Password",
      "db_passwd",
      "clientSecret",
      "Authorization",
      "x-api-key",
      "apiKey",
      "API_KEY",
      "Set-Cookie",
      "aws_credentials",
    ])
      expect(isSensitiveName(n, P)).toBe(true);
    for (const n of ["subject", "handler_id", "Content-Type", "Nats-Msg-Id"]) expect(isSensitiveName(n, P)).toBe(false);
  });

  it("redaction - the extended defaults; short patterns match a whole word of the name, not any substring", () => {
    for (const n of [
      "auth",
      "basic_auth",
      "X-Auth-User",
      "pwd",
      "pwdHash",
      "pass",
      "db_pass",
      "DB-PASS",
      "sessionId",
      "session_key",
      "jwt",
      "idJwt",
      "private_key",
      "privateKey",
      "signature",
      "dsn",
      "SENTRY_DSN",
      "database_url",
      "connectionString",
      "community",
      "snmp_community",
    ])
      expect(isSensitiveName(n, P), n).toBe(true);
    for (const n of ["passenger", "bypass", "compass", "author", "authority", "dsname", "jwtx", "pwds"])
      expect(isSensitiveName(n, P), n).toBe(false);
  });

  it("redaction - JSON fields are masked at any depth, and counted", () => {
    const input = {
      user: "ann",
      password: "hunter2",
      nested: { deeper: [{ api_key: "k-123", keep: 1 }], Secret: { a: "s" } },
      list: ["token"],
    };
    const r = redactJson(input, P);
    expect(r.value).toEqual({
      user: "ann",
      password: REDACTED,
      nested: { deeper: [{ api_key: REDACTED, keep: 1 }], Secret: { a: REDACTED } },
      list: ["token"],
    });
    expect(r.count).toBe(3);
    expect(input.password).toBe("hunter2"); // a copy, not in place
  });

  it("redaction - text payloads: key=value, key: value and quoted pairs, best effort", () => {
    const r = redactText('login user=ann password=hunter2&next=/ token: abc.def "client_secret": "s3\\"cr3t", apiKey=\'zz\'', P);
    expect(r.text).toBe(
      `login user=ann password=${REDACTED}&next=/ token: ${REDACTED} "client_secret": "${REDACTED}", apiKey='${REDACTED}'`,
    );
    expect(r.count).toBe(4);
    expect(redactText("the token expired", P)).toEqual({ text: "the token expired", count: 0 });
  });

  it("redaction - headers by name; values replaced one for one", () => {
    const r = redactHeaders({ Authorization: ["Bearer abc"], "X-Api-Key": ["1", "2"], "Content-Type": ["application/json"] }, P);
    expect(r.headers).toEqual({ Authorization: [REDACTED], "X-Api-Key": [REDACTED, REDACTED], "Content-Type": ["application/json"] });
    expect(r.count).toBe(2);
    expect(redactHeaders(undefined, P)).toEqual({ headers: undefined, count: 0 });
  });

  it("redaction - payload bytes: JSON rewritten only when masked, text by pattern, binary untouched", () => {
    const json = enc('{"order":7,"creds":{"token":"tok-SECRET"}}');
    const r = redactPayload(json, P);
    expect(dec(r.bytes)).toBe(`{"order":7,"creds":{"token":"${REDACTED}"}}`);
    expect(dec(r.bytes)).not.toContain("tok-SECRET");
    const clean = enc('{ "order": 7, "note": "token expired" }');
    expect(redactPayload(clean, P).bytes).toBe(clean); // exact bytes kept
    expect(dec(redactPayload(enc("password=hunter2"), P).bytes)).toBe(`password=${REDACTED}`);
    const binary = new Uint8Array([0xff, 0xfe, 0x74, 0x6f, 0x6b, 0x65, 0x6e]);
    expect(redactPayload(binary, P)).toEqual({ bytes: binary, count: 0 });
  });

  it("redaction - configured lists extend the defaults, or replace them", () => {
    const extended = buildRedactionRules({ fields: ["ssn"], headers: ["x-tenant"], defaults: true });
    expect(isSensitiveName("customer_ssn", compilePatterns(extended.fields))).toBe(true);
    expect(isSensitiveName("password", compilePatterns(extended.fields))).toBe(true);
    expect(isSensitiveName("X-Tenant", compilePatterns(extended.headers))).toBe(true);
    const replaced = buildRedactionRules({ fields: ["ssn"], headers: [], defaults: false });
    expect(isSensitiveName("password", compilePatterns(replaced.fields))).toBe(false);
    expect(redactPayload(enc('{"password":"x"}'), compilePatterns(replaced.fields)).count).toBe(0);
  });
});

describe("redaction - parsed outcomes", () => {
  const rules = compilePatterns(DEFAULT_REDACT_PATTERNS);
  const base = { id: "1", subject: "reflex.outcome.h", handler_id: "h", received_at: "2026-11-23T10:00:00Z", size: 10 };
  const body = {
    handler_id: "h",
    severity: "high" as const,
    kind: "logged",
    target: null,
    event: { subject: "s", payload: { user: "ann", creds: { api_key: "k-123" }, list: [{ password: "p" }] } },
    emitted_at: "2026-11-23T10:00:00Z",
  };

  it("redaction - masks sensitive keys at any depth of a valid outcome, copy-on-write", () => {
    const r = { ...base, valid: true as const, body, headers: { Authorization: ["Bearer x"], "X-Trace": ["t"] } };
    const masked = redactOutcome(r, rules, rules);
    expect(masked).not.toBe(r);
    expect(JSON.stringify(masked)).not.toMatch(/k-123|"p"|Bearer/);
    expect(masked.valid && masked.body.event.payload).toEqual({
      user: "ann",
      creds: { api_key: REDACTED },
      list: [{ password: REDACTED }],
    });
    expect(masked.headers).toEqual({ Authorization: [REDACTED], "X-Trace": ["t"] });
    expect(body.event.payload.creds.api_key).toBe("k-123"); // the input is untouched
  });

  it("redaction - an outcome with nothing to mask comes back as the same object", () => {
    const r = { ...base, valid: true as const, body: { ...body, event: { subject: "s", payload: { token: "", note: "token expired" } } } };
    const clean = {
      ...base,
      valid: true as const,
      body: { ...body, event: { subject: "s", payload: { note: "token expired", tokens: 812 } } },
    };
    expect(redactOutcome(clean, rules, rules)).toBe(clean);
    expect(redactOutcome(r, rules, rules)).not.toBe(r); // a key named like token is masked even when empty
  });

  it("redaction - a malformed outcome's raw text is masked where it looks like key=value", () => {
    const r = { ...base, valid: false as const, raw: "login user=ann password=hunter2 ok", error: "not JSON" };
    const masked = redactOutcome(r, rules, rules);
    expect(!masked.valid && masked.raw).toBe(`login user=ann password=${REDACTED} ok`);
  });
});

/** Shapes that leaked or stalled before values were scanned (docs/security.md, redaction). */
describe("redaction - value shapes and hostile input", () => {
  const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbm4ifQ.c2lnbmF0dXJlLXNlY3JldA";
  const leaks = (out: string, ...secrets: string[]) => secrets.filter((s) => out.includes(s));

  it("redaction - a long word run after a keyword is masked in linear time", () => {
    const run = "A".repeat(200_000);
    const started = performance.now();
    const r = redactText(`password${run} x token=${run}`, P);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(r.text).toBe(`password${run} x token=${REDACTED}`);
  });

  it("redaction - Authorization: Bearer <jwt> masks the token, not just the word Bearer", () => {
    const out = redactText(`GET / HTTP/1.1\nAuthorization: Bearer ${JWT}\nauth=Basic dXNlcjpodW50ZXIy`, P).text;
    expect(leaks(out, JWT, "dXNlcjpodW50ZXIy")).toEqual([]);
    expect(redactText(`curl -H "Bearer ${JWT}"`, P).text).toBe(`curl -H "Bearer ${REDACTED}"`);
    expect(redactText("Basic realm and Basic usage stay", P).count).toBe(0);
  });

  it("redaction - URL userinfo and credential-named query parameters, also inside another parameter's URL", () => {
    const out = redactText(
      "url: https://x/?token=S1 callback=https://cb.example/?api_key=S2&next=/ db=postgres://ann:S3@db:5432/app",
      P,
    ).text;
    expect(leaks(out, "S1", "S2", "S3")).toEqual([]);
    expect(out).toContain("&next=/");
    expect(out).toContain("postgres://ann:");
  });

  it("redaction - JSON string values are scanned: k=v, URLs, bearer tokens, JWTs and PEM keys", () => {
    const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7PEMSECRET\n-----END RSA PRIVATE KEY-----";
    const payload = {
      msg: "login failed password=hunter2 user=ann",
      url: "https://x/?token=S1",
      hdr: `Bearer ${JWT}`,
      jwt_in_list: [JWT],
      key: pem,
      n: 3,
    };
    const out = dec(redactPayload(enc(JSON.stringify(payload)), P).bytes);
    expect(leaks(out, "hunter2", "S1", JWT, "7PEMSECRET")).toEqual([]);
    expect(JSON.parse(out)).toMatchObject({
      url: `https://x/?token=${REDACTED}`,
      n: 3,
      key: `-----BEGIN RSA PRIVATE KEY-----\n${REDACTED}\n-----END RSA PRIVATE KEY-----`,
    });
  });

  it("redaction - numbers, booleans and null under sensitive names stay; every string under them goes", () => {
    const input = {
      usage: { prompt_tokens: 12, tokens: 812 },
      tokens: { prompt: 12, completion: 30, total: 42 },
      auth: true,
      password: null,
      community: "public-S",
      session: { id: "S2", ttl: 60 },
      secret: ["S3", [{ deep: "S4" }]],
    };
    const r = redactJson(input, P);
    expect(r.value).toEqual({
      ...input,
      community: REDACTED,
      session: { id: REDACTED, ttl: 60 },
      secret: [REDACTED, [{ deep: REDACTED }]],
    });
    expect(r.count).toBe(4);
    const usage = { model: "m", tokens: { prompt: 12, completion: 30, total: 42 } };
    expect(redactJson(usage, P).value).toBe(usage); // the demo's LLM usage comes back untouched
  });

  it("redaction - a payload with an invalid UTF-8 byte is masked, and the masked text replaces its bytes", () => {
    const bytes = new Uint8Array([...enc("login "), 0xff, ...enc(" password=hunter2 ok")]);
    const r = redactPayload(bytes, P);
    expect(dec(r.bytes)).toBe(`login \ufffd password=${REDACTED} ok`);
    expect(r.count).toBe(1);
  });

  it("redaction - a malformed outcome's parse error does not quote the secret", () => {
    for (const text of ['{"a": 1, "password": hunter2}', "password=hunter2", `{"note": "x", "k": ${"1".repeat(40)} password=hunter2}`]) {
      const parsed = parseOutcome({ id: "1", subject: "reflex.outcome.h", data: enc(text), received_at: "2026-11-23T10:00:00Z" });
      const masked = redactOutcome(parsed, P, P);
      expect(masked.valid).toBe(false);
      expect(JSON.stringify(masked), text).not.toMatch(/hunter|unter2/);
    }
  });

  it("redaction - the summary path masks secrets in diagnostic, summary and target", () => {
    const body = {
      handler_id: "h",
      severity: "high",
      kind: "errored",
      target: "https://ann:S1@hq",
      summary: "retry with token=S2",
      diagnostic: "Traceback:\n  db.connect('postgres://u:S3@db')\nValueError: bad password=S4",
      event: { subject: "s" },
      emitted_at: "2026-11-23T10:00:00Z",
    };
    const parsed = parseOutcome({
      id: "1",
      subject: "reflex.outcome.h",
      data: enc(JSON.stringify(body)),
      received_at: "2026-11-23T10:00:00Z",
    });
    const out = JSON.stringify(summaryRedactor(P, P)(parsed));
    expect(leaks(out, "S1", "S2", "S3", "S4")).toEqual([]);
    const clean = parseOutcome({
      id: "1",
      subject: "reflex.outcome.h",
      data: enc(JSON.stringify({ ...body, target: "hq", summary: "ok", diagnostic: "KeyError: 'x' at 10:00:00" })),
      received_at: "2026-11-23T10:00:00Z",
    });
    expect(summaryRedactor(P, P)(clean)).toBe(clean);
  });

  it("redaction - a quoted value that never closes is masked to the end of its line", () => {
    expect(redactText(`x password="hunter 2 and more\nnext user=ann`, P).text).toBe(`x password="${REDACTED}\nnext user=ann`);
  });

  it("redaction - header values are scanned too", () => {
    const r = redactHeaders({ "X-Original-Uri": ["/cb?token=S1"], "X-Trace": ["t-1"] }, P);
    expect(r.headers).toEqual({ "X-Original-Uri": [`/cb?token=${REDACTED}`], "X-Trace": ["t-1"] });
  });

  it("redaction - JSON nested 20,000 deep is walked and re-serialized without a stack overflow", () => {
    const text = `${'{"a":'.repeat(20_000)}{"password":"hunter2"}${"}".repeat(20_000)}`;
    const r = redactPayload(enc(text), P);
    expect(r.count).toBe(1);
    expect(dec(r.bytes)).toBe(`${'{"a":'.repeat(20_000)}{"password":"${REDACTED}"}${"}".repeat(20_000)}`);
  });

  it("redaction - long text of short lines keeps its last line when it has no newline (an 8 MB traceback's exception)", () => {
    const traceback = `Traceback (most recent call last):\n${"    frame\n".repeat(MAX_SCANNED_LINE / 5)}MemoryError: huge`;
    const r = redactText(traceback, P);
    expect(r.count).toBe(0);
    expect(r.text.endsWith("    frame\nMemoryError: huge")).toBe(true);
    expect(redactText(`${"    frame\n".repeat(MAX_SCANNED_LINE / 5)}password=hunter2`, P).text.endsWith(`password=${REDACTED}`)).toBe(true);
  });

  it("redaction - a line longer than the scanned window is masked whole when anything could match in it", () => {
    const long = `x=${"b".repeat(MAX_SCANNED_LINE)} password=hunter2`;
    const r = redactText(`head password=p1\n${long}\ntail token=t2\nplain ${"c".repeat(MAX_SCANNED_LINE)}`, P);
    expect(r.text).toBe(`head password=${REDACTED}\n${REDACTED}\ntail token=${REDACTED}\nplain ${"c".repeat(MAX_SCANNED_LINE)}`);
  });
});
