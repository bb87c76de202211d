import { describe, expect, it } from "vitest";
import { parseOutcome, toOutcomeRow, type OutcomeRecord } from "../lib/outcomes/outcome";
import { DEFAULT_REDACTION, REDACTED, summaryRedactor } from "../lib/security/redaction";
import { compileRedaction, redactMessage, redactParsedOutcome, type CompiledRedaction } from "./redaction";
import { llmRequest, MODELS, planRequest } from "./demo/payloads";
import { Rng } from "./demo/random";
import { buildSensoryEvent } from "./demo/sensory";

const enc = new TextEncoder();
const body = {
  handler_id: "security_webhook",
  severity: "warn",
  kind: "logged",
  target: "hq-mx-01",
  summary: "blocked",
  event: { subject: "sensory.meraki.webhook", payload: { sharedSecret: "s3cr3t", device: "hq-mx-01" } },
  emitted_at: "2026-01-01T00:00:00.000Z",
};
const record = (b: unknown, headers?: Record<string, string[]>) =>
  parseOutcome({
    id: "1",
    subject: "reflex.outcome.security_webhook",
    data: enc.encode(typeof b === "string" ? b : JSON.stringify(b)),
    received_at: "2026-01-01T00:00:01.000Z",
    headers,
  });

/** lib/security/redaction.ts summaryRedactor under compiled rules, as the outcome summary's fold applies it. */
const redactSummaryFields = (r: OutcomeRecord, c: CompiledRedaction) => summaryRedactor(c.fields, c.headers)(r);

describe("summaryRedactor", () => {
  const defaults = compileRedaction(DEFAULT_REDACTION);

  it("leaves a valid record whole when the rules mask none of the fields the summary and rows read", () => {
    const r = record(body, { "Nats-Msg-Id": ["m-1"], Authorization: ["Bearer x"] });
    expect(redactSummaryFields(r, defaults)).toBe(r);
    // …and its row is what the whole masked record's row would be.
    expect(toOutcomeRow(r)).toEqual(toOutcomeRow(redactParsedOutcome(r, defaults)));
  });

  it("masks the whole record when the rules name a field a row shows", () => {
    const rules = compileRedaction({ fields: ["summary"], headers: [] });
    const row = toOutcomeRow(redactSummaryFields(record(body), rules));
    expect(row.valid && row.body.summary).toBe(REDACTED);
  });

  it("masks the whole record when the rules name the message id header a row shows", () => {
    const rules = compileRedaction({ fields: [], headers: ["msgid"] });
    expect(toOutcomeRow(redactSummaryFields(record(body, { "Nats-Msg-Id": ["m-1"] }), rules)).msg_id).toBe(REDACTED);
  });

  it("masks a malformed record's raw text, which its row shows", () => {
    const row = toOutcomeRow(redactSummaryFields(record("password=hunter2 not json"), defaults));
    expect(row.valid).toBe(false);
    expect(JSON.stringify(row)).not.toContain("hunter2");
  });
});

describe("redaction of the demo's own payloads (#24 item 11)", () => {
  const defaults = compileRedaction(DEFAULT_REDACTION);
  const maskedJson = (value: unknown) =>
    JSON.parse(new TextDecoder().decode(redactMessage({ data: enc.encode(JSON.stringify(value)) }, defaults).data));

  it("an LLM request's token counts stay; an SNMP trap's community string is masked", () => {
    const rng = new Rng(7);
    const now = new Date("2026-12-07T00:00:00Z");
    const request = llmRequest(planRequest(rng), MODELS[0]!, "completed", now);
    expect(maskedJson(request).tokens).toEqual(request.tokens);
    const trap = buildSensoryEvent("link_down", rng, now, false).payload as { community: string };
    expect(trap.community).not.toBe(REDACTED);
    expect(maskedJson(trap).community).toBe(REDACTED);
  });
});
