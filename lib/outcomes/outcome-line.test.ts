import { describe, expect, it } from "vitest";
import { outcomeLine } from "./outcome-line";

const hash = (s: string) => `h${s.length}`;
const good = {
  handler_id: "bgp_drop",
  severity: "high",
  kind: "logged",
  target: "r1|10.0.0.1",
  event: { subject: "sensory.bgp" },
  emitted_at: "2026-12-07T10:00:00Z",
};

describe("outcome lines", () => {
  it("outcome lines - a valid record goes to <prefix>.<handler_id>, its text unchanged, with an id from its content", () => {
    const line = JSON.stringify(good);
    expect(outcomeLine(`  ${line}\n`, "reflex.outcome", hash)).toEqual({
      ok: true,
      subject: "reflex.outcome.bgp_drop",
      msgId: `outcome-h${line.length}`,
      data: line,
    });
  });

  it("outcome lines - an id the record carries is its message id", () => {
    expect(outcomeLine(JSON.stringify({ ...good, id: "o-17" }), "p", hash)).toMatchObject({ ok: true, msgId: "o-17" });
  });

  it("outcome lines - bad lines say why, naming the field", () => {
    expect(outcomeLine("{not json", "p", hash)).toMatchObject({ ok: false, error: expect.stringMatching(/^not JSON/) });
    expect(outcomeLine(JSON.stringify({ ...good, severity: "loud" }), "p", hash)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^severity: /),
    });
    expect(outcomeLine(JSON.stringify({ ...good, emitted_at: undefined }), "p", hash)).toMatchObject({ ok: false, error: /^emitted_at/ });
    for (const handler of ["a b", "a.*", "x.>", "a..b", ".a"])
      expect(outcomeLine(JSON.stringify({ ...good, handler_id: handler }), "p", hash), handler).toMatchObject({
        ok: false,
        error: expect.stringMatching(/^handler_id: .* not usable in a subject/),
      });
  });

  it("outcome lines - blank lines are neither published nor errors", () => {
    expect(outcomeLine("   ", "p", hash)).toEqual({ ok: "blank" });
  });
});
