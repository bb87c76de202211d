import { describe, expect, it } from "vitest";
import {
  boundOutcome,
  cutMiddle,
  exceptionLine,
  FEED_RAW_CHARS,
  OutcomeBodySchema,
  parseOutcome,
  rowText,
  toOutcomeRow,
  type OutcomeBody,
  type OutcomeRecord,
} from "./outcome";

const valid: OutcomeBody = {
  handler_id: "bgp_drop",
  severity: "high",
  kind: "errored",
  target: null,
  summary: "handler bgp_drop raised KeyError: 'peer'",
  diagnostic: "Traceback (most recent call last):\n  File \"/app/h.py\", line 3, in handle\n    p = e['peer']\nKeyError: 'peer'",
  event: {
    subject: "sensory.snmp.trap.bgp_backward_transition.edge-rtr-01",
    id: "e-1",
    payload: { device: "edge-rtr-01" },
    received_at: "2026-11-23T14:00:00.000Z",
  },
  emitted_at: "2026-11-23T14:00:00.012Z",
  duration_ms: 1.5,
};

const enc = (v: unknown) => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v));
const parse = (data: Uint8Array, subject = "reflex.outcome.bgp_drop") =>
  parseOutcome({ id: "7", subject, data, received_at: "2026-11-23T14:00:01.000Z", stream_seq: 7 });

describe("outcome contract", () => {
  it("outcomes - a valid body parses with its handler, stream seq and size", () => {
    const r = parse(enc(valid));
    expect(r.valid).toBe(true);
    expect(r.handler_id).toBe("bgp_drop");
    expect(r.stream_seq).toBe(7);
    expect(r.size).toBe(enc(valid).byteLength);
    if (r.valid) expect(r.body).toEqual(valid);
  });

  it("outcomes - optional fields may be absent and unknown kinds are kept", () => {
    const { summary: _s, diagnostic: _d, duration_ms: _m, ...minimal } = valid;
    const r = parse(enc({ ...minimal, kind: "suppressed", target: "edge-rtr-01|10.0.0.2", event: { subject: "x" } }));
    expect(r.valid).toBe(true);
    if (r.valid) expect(r.body.kind).toBe("suppressed");
  });

  const invalidFields: [string, Record<string, unknown>][] = [
    ["handler_id", { handler_id: "" }],
    ["handler_id", { handler_id: 42 }],
    ["severity", { severity: "error" }],
    ["kind", { kind: "" }],
    ["target", { target: 17 }],
    ["target", { target: undefined }],
    ["summary", { summary: 1 }],
    ["diagnostic", { diagnostic: ["a"] }],
    ["event", { event: undefined }],
    ["event.subject", { event: { id: "x" } }],
    ["event.id", { event: { subject: "s", id: 3 } }],
    ["event.received_at", { event: { subject: "s", received_at: 1 } }],
    ["emitted_at", { emitted_at: 1763906400 }],
    ["emitted_at", { emitted_at: "yesterday" }],
    ["duration_ms", { duration_ms: -1 }],
    ["duration_ms", { duration_ms: "3" }],
  ];
  it.each(invalidFields)("outcomes - an invalid %s is kept raw with the field named", (field, patch) => {
    const body = { ...valid, ...patch };
    const r = parse(enc(body));
    expect(r.valid).toBe(false);
    if (!r.valid) {
      expect(r.error.startsWith(`${field}:`)).toBe(true);
      expect(r.raw).toBe(JSON.stringify(body));
    }
    // The subject still attributes it to a handler so it is counted per handler.
    expect(r.handler_id).toBe("bgp_drop");
  });

  it("outcomes - non-JSON bytes (a Python repr) are kept as raw text", () => {
    const r = parse(enc("ReflexOutcome(handler_id='bgp_drop', severity='high')"));
    expect(r.valid).toBe(false);
    if (!r.valid) {
      expect(r.error).toMatch(/^not JSON/);
      expect(r.raw).toBe("ReflexOutcome(handler_id='bgp_drop', severity='high')");
    }
  });

  it("outcomes - JSON that is not an object is malformed, not a crash", () => {
    for (const v of ["null", "[]", "42", '"text"', ""]) expect(parse(enc(v)).valid).toBe(false);
  });

  it("outcomes - invalid UTF-8 is malformed and shown with replacement characters", () => {
    const r = parse(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), "reflex.outcome.link_down");
    expect(r.valid).toBe(false);
    expect(r.handler_id).toBe("link_down");
    if (!r.valid) {
      expect(r.error).toBe("not UTF-8");
      expect(r.raw).toContain("\uFFFD");
    }
  });

  it("outcomes - a subject outside the prefix keeps the whole subject as handler", () => {
    expect(parse(enc("x"), "other.subject").handler_id).toBe("other.subject");
  });

  it("outcomes - timestamps the fast path leaves to the schema are still decided by it", () => {
    // Feb 30 is no date; Feb 29 of a leap year is; a space instead of T is not ISO-8601 for the schema.
    expect(parse(enc({ ...valid, emitted_at: "2026-02-30T00:00:00Z" })).valid).toBe(false);
    expect(parse(enc({ ...valid, emitted_at: "2028-02-29T00:00:00Z" })).valid).toBe(true);
    expect(parse(enc({ ...valid, emitted_at: "2026-11-23 14:00:00Z" })).valid).toBe(false);
    expect(parse(enc({ ...valid, emitted_at: "2026-11-23T14:00:00.123456+05:30" })).valid).toBe(true);
  });

  it("outcomes - the schema accepts the demo's offset timestamps", () => {
    expect(OutcomeBodySchema.safeParse({ ...valid, emitted_at: "2026-11-23T14:00:00+01:00" }).success).toBe(true);
  });
});

describe("exception line", () => {
  it("outcomes - picks the final exception of a Python traceback", () => {
    expect(exceptionLine(valid.diagnostic)).toBe("KeyError: 'peer'");
  });

  it("outcomes - picks the last exception of a chain, not the cause", () => {
    const chained = [
      "Traceback (most recent call last):",
      '  File "/app/lookup.py", line 10, in get',
      "    raise asyncio.TimeoutError()",
      "asyncio.exceptions.TimeoutError",
      "",
      "The above exception was the direct cause of the following exception:",
      "",
      "Traceback (most recent call last):",
      '  File "/app/handler.py", line 4, in handle',
      "    await lookup(x)",
      "TimeoutError: lookup of edge-rtr-01 timed out after 5s",
    ].join("\n");
    expect(exceptionLine(chained)).toBe("TimeoutError: lookup of edge-rtr-01 timed out after 5s");
  });

  it("outcomes - survives the head truncation marker and trailing blank lines", () => {
    const t =
      '... [traceback truncated] ...\n  File "/a.py", line 1, in f\n    x()\njson.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)\n\n';
    expect(exceptionLine(t)).toBe("json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)");
  });

  it("outcomes - a bare exception type without a message is found", () => {
    expect(exceptionLine('Traceback (most recent call last):\n  File "/a.py", line 1, in f\n    next(it)\nStopIteration')).toBe(
      "StopIteration",
    );
  });

  it("outcomes - a diagnostic that is not a traceback groups by its first line", () => {
    expect(exceptionLine("\nupstream returned 503\nretry later")).toBe("upstream returned 503");
    expect(exceptionLine(undefined)).toBeNull();
    expect(exceptionLine("")).toBeNull();
  });
});

describe("outcome display budget", () => {
  const big = (diagnostic: string, payload: unknown): OutcomeRecord => ({
    id: "7",
    subject: "reflex.outcome.h",
    handler_id: "h",
    received_at: "2026-11-23T10:00:00.000Z",
    size: diagnostic.length + JSON.stringify(payload).length,
    valid: true,
    body: {
      handler_id: "h",
      severity: "high",
      kind: "errored",
      target: null,
      diagnostic,
      event: { subject: "s", payload },
      emitted_at: "2026-11-23T10:00:00Z",
    },
  });

  it("outcomes - a small record is returned as it is", () => {
    const r = big("KeyError: 'a'", { a: 1 });
    expect(boundOutcome(r, 1_000)).toBe(r);
  });

  it("outcomes - a long diagnostic keeps its head and its exception line, and says what was cut", () => {
    const diag = `Traceback (most recent call last):\n${'  File "/a.py", line 1, in f\n'.repeat(10_000)}MemoryError: huge`;
    const r = boundOutcome(big(diag, { x: "y".repeat(50_000) }), 16_384);
    expect(r.truncated).toBe(true);
    if (!r.valid) throw new Error("expected valid");
    expect(r.body.diagnostic!.length).toBeLessThanOrEqual(8_192 + 64);
    expect(r.body.diagnostic).toMatch(/^Traceback \(most recent call last\):/);
    expect(r.body.diagnostic).toMatch(/characters cut by busdeck/);
    expect(exceptionLine(r.body.diagnostic)).toBe("MemoryError: huge");
    expect(typeof r.body.event.payload).toBe("string");
    expect((r.body.event.payload as string).length).toBeLessThan(4_200);
    expect(JSON.stringify(r).length).toBeLessThan(16_384 + 2_000);
  });

  it("outcomes - a long malformed payload is cut in the middle too", () => {
    const raw = "x".repeat(100_000);
    const r = boundOutcome(
      { id: "1", subject: "s", handler_id: "h", received_at: "t", size: raw.length, valid: false, raw, error: "not JSON" },
      1_000,
    );
    expect(!r.valid && r.raw.length).toBeLessThanOrEqual(1_000 + 64);
    expect(cutMiddle("abc", 10)).toBe("abc");
  });
});

describe("outcome feed rows", () => {
  const withMsgId = (r: OutcomeRecord): OutcomeRecord => ({
    ...r,
    headers: { "Nats-Msg-Id": ["m-7"], "Content-Type": ["application/json"] },
  });

  it("outcomes - a row keeps the feed's columns and filter fields, not the diagnostic, payload or headers", () => {
    const row = toOutcomeRow(withMsgId(parse(enc(valid))));
    expect(row).toEqual({
      id: "7",
      handler_id: "bgp_drop",
      received_at: "2026-11-23T14:00:01.000Z",
      stream_seq: 7,
      msg_id: "m-7",
      valid: true,
      body: {
        handler_id: "bgp_drop",
        severity: "high",
        kind: "errored",
        target: null,
        summary: "handler bgp_drop raised KeyError: 'peer'",
        emitted_at: "2026-11-23T14:00:00.012Z",
        event: { subject: "sensory.snmp.trap.bgp_backward_transition.edge-rtr-01" },
        exception: "KeyError: 'peer'",
      },
    });
    if (row.valid) expect(rowText(row.body)).toBe("KeyError: 'peer'");
  });

  it("outcomes - a row that is not errored shows its summary and carries no exception", () => {
    const row = toOutcomeRow(parse(enc({ ...valid, kind: "logged" })));
    if (!row.valid) throw new Error("expected valid");
    expect(row.body.exception).toBeUndefined();
    expect(rowText(row.body)).toBe(valid.summary);
    expect(rowText({ ...row.body, summary: undefined })).toBe("");
  });

  it("outcomes - an errored row without a diagnostic falls back to its summary", () => {
    const { diagnostic: _d, ...noDiagnostic } = valid;
    const row = toOutcomeRow(parse(enc(noDiagnostic)));
    if (!row.valid) throw new Error("expected valid");
    expect(rowText(row.body)).toBe(valid.summary);
  });

  it("outcomes - a malformed row keeps the start of its raw text and the reason", () => {
    const raw = `{'handler_id': 'x', ${"'k': 1, ".repeat(100)}}`;
    const row = toOutcomeRow(parse(enc(raw)));
    expect(row.valid).toBe(false);
    if (row.valid) return;
    expect(row.raw).toBe(raw.slice(0, FEED_RAW_CHARS));
    expect(row.error).toMatch(/^not JSON/);
    expect(row.handler_id).toBe("bgp_drop");
  });
});
