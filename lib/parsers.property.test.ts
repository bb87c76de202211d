/**
 * Property tests for the parsers that read what other systems put on the bus and what users type into URLs.
 * Example tests pin the behaviours we thought of; these hunt for the inputs we did not: nothing crashes,
 * every message is still counted and shown as text (docs/security.md, "Threat model").
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseLockValue } from "./failover/locks";
import { OutcomeBodySchema, parseOutcome, SEVERITIES } from "./outcomes/outcome";
import { hexDump, renderPayload } from "./streams/payload";
import { evaluatePredicate, parsePredicate, PredicateSyntaxError } from "./streams/predicate";
import { compilePatterns, DEFAULT_REDACT_PATTERNS, redactOutcome, redactPayload } from "./security/redaction";
import { ConsumerNameSchema, parseMessageContext, parseStreamsListState, STREAM_SORTS, streamsListStateToSearch } from "./streams/queries";

const RUNS = { numRuns: 500 };
const encode = (s: string) => new TextEncoder().encode(s);
const isoDate = fc
  .date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2999-12-31T23:59:59Z"), noInvalidDate: true })
  .map((d) => d.toISOString());

/** Bodies that follow the contract, with optional fields present or absent. */
const validBody = fc.record(
  {
    handler_id: fc.string({ minLength: 1 }),
    severity: fc.constantFrom(...SEVERITIES),
    kind: fc.oneof(fc.constantFrom("logged", "errored"), fc.string({ minLength: 1 })),
    target: fc.option(fc.string(), { nil: null }),
    summary: fc.string(),
    diagnostic: fc.string(),
    event: fc.record(
      { subject: fc.string(), id: fc.string(), payload: fc.jsonValue(), received_at: isoDate },
      { requiredKeys: ["subject"] },
    ),
    emitted_at: isoDate,
    duration_ms: fc.double({ min: 0, max: 1e9, noNaN: true }),
  },
  { requiredKeys: ["handler_id", "severity", "kind", "target", "event", "emitted_at"] },
);

/** Near-misses: a valid body with one field replaced by an arbitrary JSON value. */
const mutatedBody = fc
  .tuple(
    validBody,
    fc.constantFrom("handler_id", "severity", "kind", "target", "event", "emitted_at", "duration_ms", "summary"),
    fc.jsonValue(),
  )
  .map(([body, key, value]) => ({ ...body, [key]: value }));

const outcomeFrom = (data: Uint8Array) =>
  parseOutcome({ id: "1", subject: "reflex.outcome.h1", data, received_at: "2026-01-01T00:00:00.000Z" });

describe("parsers - properties", () => {
  it("outcome parsing never throws and keeps every byte accounted for", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2_048 }), (data) => {
        const r = outcomeFrom(data);
        expect(r.size).toBe(data.byteLength);
        if (!r.valid) {
          expect(typeof r.raw).toBe("string");
          expect(r.error.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  it("outcome parsing accepts exactly what the schema accepts (the fast path never disagrees)", () => {
    fc.assert(
      fc.property(fc.oneof(validBody, mutatedBody, fc.jsonValue()), (json) => {
        const r = outcomeFrom(encode(JSON.stringify(json)));
        // Through a JSON round trip, as the parser sees it (undefined fields vanish, -0 becomes 0).
        const schema = OutcomeBodySchema.safeParse(JSON.parse(JSON.stringify(json)));
        expect(r.valid).toBe(schema.success);
        if (r.valid && schema.success) expect(r.handler_id).toBe(schema.data.handler_id);
      }),
      RUNS,
    );
  });

  it("invalid outcomes are attributed to the subject's handler", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9_-]{1,20}$/), fc.uint8Array({ maxLength: 64 }), (handler, junk) => {
        const data = new Uint8Array([0xff, ...junk]); // 0xff never starts valid UTF-8
        const r = parseOutcome({ id: "1", subject: `reflex.outcome.${handler}`, data, received_at: "2026-01-01T00:00:00.000Z" });
        expect(r.valid).toBe(false);
        expect(r.handler_id).toBe(handler);
      }),
      RUNS,
    );
  });

  it("payload rendering never throws, respects its limit and shows JSON losslessly", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 1_024 }),
          fc.jsonValue().map((v) => encode(JSON.stringify(v) ?? "null")),
        ),
        fc.integer({ min: 1, max: 500 }),
        (bytes, limit) => {
          const full = renderPayload(bytes);
          const cut = renderPayload(bytes, { limit, compact: true });
          expect(full.size).toBe(bytes.length);
          expect(cut.text.length).toBeLessThanOrEqual(limit);
          if (full.kind === "json") expect(JSON.parse(full.text)).toEqual(JSON.parse(new TextDecoder().decode(bytes)));
          if (full.kind === "empty") expect(bytes.length).toBe(0);
        },
      ),
      RUNS,
    );
  });

  it("hex dumps show 16 bytes a line and nothing but printable ASCII", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const dump = hexDump(bytes);
        const lines = dump === "" ? [] : dump.split("\n");
        expect(lines.length).toBe(Math.ceil(bytes.length / 16));
        expect(dump).toMatch(/^[\x20-\x7e\n]*$/);
      }),
      RUNS,
    );
  });

  it("lock values never throw; plain holder ids and JSON values round-trip", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (data) => void parseLockValue(data)),
      RUNS,
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[\w.:@/-]{1,64}$/), (holder) => {
        expect(parseLockValue(encode(holder))).toEqual({ valid: true, value: { holder_id: holder } });
        const json = { holder_id: holder, acquired_at: "2026-01-01T00:00:00Z", ttl_s: 10 };
        expect(parseLockValue(encode(JSON.stringify(json)))).toEqual({ valid: true, value: json });
      }),
      RUNS,
    );
  });

  it("predicates either parse or fail with a PredicateSyntaxError, and evaluation never throws", () => {
    const predicateLike = fc.stringMatching(/^[ a-z0-9_.[\]()"'=!<>~&|-]{0,80}$/);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 120 }), predicateLike), fc.jsonValue(), (src, payload) => {
        let node;
        try {
          node = parsePredicate(src);
        } catch (err) {
          expect(err).toBeInstanceOf(PredicateSyntaxError);
          return;
        }
        expect(typeof evaluatePredicate(node, payload)).toBe("boolean");
      }),
      { numRuns: 2_000 },
    );
  });

  it("streams list URL state round-trips through its query string", () => {
    const state = fc.record({
      q: fc.string({ maxLength: 200 }),
      sort: fc.constantFrom(...STREAM_SORTS),
      dir: fc.constantFrom("asc" as const, "desc" as const),
      show: fc.constantFrom("all" as const, "attention" as const),
      own: fc.boolean(),
    });
    fc.assert(
      fc.property(state, (s) => {
        expect(parseStreamsListState(new URLSearchParams(streamsListStateToSearch(s)))).toEqual({ ...s, ignored: [] });
      }),
      RUNS,
    );
  });

  it("any query string opens the streams list (bad values fall back to defaults)", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom("q", "sort", "dir", "show", "own", "x"), fc.string({ maxLength: 300 })), (params) => {
        const s = parseStreamsListState(params);
        expect(STREAM_SORTS).toContain(s.sort);
        expect(s.q.length).toBeLessThanOrEqual(200);
      }),
      RUNS,
    );
  });
});

/** A secret no pattern or filler can produce by accident, so finding it in the output means it leaked. */
const secretValue = fc.stringMatching(/^[A-Za-z0-9]{6,24}$/).map((s) => `Zq9${s}`);
/** The places a secret is planted: each shape redaction promises to find. */
const plantings: ((secret: string) => string)[] = [
  (s) => `password=${s}`,
  (s) => `Authorization: Bearer ${s}`,
  (s) => `auth=Basic ${s}`,
  (s) => `https://ann:${s}@db.example:5432/app`,
  (s) => `callback=https://cb.example/?x=1&api_key=${s}&y=2`,
  (s) => `"client_secret": "${s}"`,
  (s) => `db_pass='${s}'`,
  (s) => `eyJhbGciOiJub25lIn0.eyJzdWIiOiIke30.${s}`,
  (s) => `-----BEGIN PRIVATE KEY-----\n${s}\n-----END PRIVATE KEY-----`,
];
const planted = fc
  .tuple(secretValue, fc.integer({ min: 0, max: plantings.length - 1 }))
  .map(([secret, i]) => ({ secret, text: plantings[i]!(secret) }));
/** Filler around the secret: printable text, JSON, or bytes that are not UTF-8. */
const filler = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ""),
  fc.constantFrom("\uFFFD", "\n", "token expired", "a=b&c=d"),
);
const notUtf8 = new Uint8Array([0xff, 0xc3, 0x28, 0xe2, 0x82]);
const decodeBytes = (b: Uint8Array) => new TextDecoder().decode(b);

/** Adversarial shapes of about `bytes` bytes each, with a secret planted at the end. */
const adversarial: Record<string, (bytes: number, secret: string) => Uint8Array> = {
  "word run after a keyword": (n, s) => encode(`password${"A".repeat(n)} token=${s}`),
  "word run after keyword=": (n, s) => encode(`token=${"9f".repeat(n / 2)} x password=${s}`),
  "thousands of k=v pairs": (n, s) => encode(`${"key=value&".repeat(n / 10)}api_key=${s}`),
  "20k-deep JSON": (_n, s) => encode(`${'{"a":'.repeat(20_000)}{"msg":"password=${s}"}${"}".repeat(20_000)}`),
  "20k-deep arrays": (_n, s) => encode(`${"[".repeat(20_000)}"Bearer ${s}"${"]".repeat(20_000)}`),
  "invalid UTF-8 throughout": (n, s) => {
    const text = encode(`secret=${s} `);
    const out = new Uint8Array(n + text.length);
    for (let i = 0; i < n; i++) out[i] = i % 7 === 0 ? 0xff : 0x61;
    out.set(text, n);
    return out;
  },
  "unclosed quotes": (n, s) => encode(`${'token="'.repeat(n / 7)}\npassword=${s}`),
  "escaped quotes that never close": (n, s) => encode(`${'password="\\"'.repeat(n / 12)}\ntoken=${s}`),
  "eyJ- runs": (n, s) => encode(`${"eyJ-".repeat(n / 4)} jwt=${s}`),
  "scheme separators": (n, s) => encode(`${"://a".repeat(n / 4)} https://u:${s}@h`),
  "PEM openers": (n, s) => encode(`${"-----BEGIN ".repeat(n / 11)}\n-----BEGIN PRIVATE KEY-----\n${s}`),
  "Bearer runs": (n, s) => encode(`${"Bearer ".repeat(n / 7)}${s}`),
  "one long line": (n, s) => encode(`x=${"b".repeat(n)} password=${s}`),
};

describe("message page context - properties", () => {
  it("any consumer parameter yields either a valid consumer name or a named error, never both", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (raw) => {
        const r = parseMessageContext({ consumer: raw });
        expect((r.consumer === null) !== (r.error === null)).toBe(true);
        if (r.consumer !== null) expect(ConsumerNameSchema.safeParse(r.consumer).success).toBe(true);
      }),
      RUNS,
    );
  });
});

describe("redaction - properties", () => {
  const rules = compilePatterns(DEFAULT_REDACT_PATTERNS);

  it("a planted secret never survives masking, whatever surrounds it", () => {
    fc.assert(
      fc.property(filler, planted, filler, fc.boolean(), (before, { secret, text }, after, brokenUtf8) => {
        const body = encode(`${before} ${text} ${after}`);
        const bytes = brokenUtf8 ? new Uint8Array([...notUtf8, ...body]) : body;
        expect(decodeBytes(redactPayload(bytes, rules).bytes)).not.toContain(secret);
        const inJson = encode(JSON.stringify({ note: `${before} ${text} ${after}` }));
        expect(decodeBytes(redactPayload(inJson, rules).bytes)).not.toContain(secret);
        const outcome = redactOutcome(
          parseOutcome({ id: "1", subject: "reflex.outcome.h", data: bytes, received_at: "2026-01-01T00:00:00.000Z" }),
          rules,
          rules,
        );
        expect(JSON.stringify(outcome)).not.toContain(secret);
      }),
      RUNS,
    );
  });

  it("adversarial payloads of 1 MB (lines under the scanned window) are masked in well under a second, and the planted secret is gone", () => {
    const shapes = Object.keys(adversarial);
    fc.assert(
      fc.property(fc.constantFrom(...shapes), secretValue, (shape, secret) => {
        const bytes = adversarial[shape]!(1_000_000, secret);
        const started = performance.now();
        const r = redactPayload(bytes, rules);
        const ms = performance.now() - started;
        expect(ms, shape).toBeLessThan(1_000);
        expect(decodeBytes(r.bytes), shape).not.toContain(secret);
      }),
      { numRuns: shapes.length * 2 },
    );
  }, 120_000);
});
