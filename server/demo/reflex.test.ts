import { describe, expect, it } from "vitest";
import { OutcomeBodySchema, parseOutcome } from "../../lib/outcomes/outcome";
import { Rng } from "./random";
import {
  EVENT_ECHO_MAX_KEYS,
  HandlerRaised,
  MALFORMED_KINDS,
  malformedOutcome,
  merakiSeverity,
  outcomeBody,
  runHandler,
  truncateEventPayload,
} from "./reflex";
import { HANDLER_IDS, bgpDropEvent, buildSensoryEvent, linkDownEvent, merakiSecurityEvent } from "./sensory";
import { exceptionLine } from "./traceback";

const now = new Date("2026-11-23T12:00:00.000Z");

function raised(fn: () => unknown): HandlerRaised {
  try {
    fn();
  } catch (err) {
    if (err instanceof HandlerRaised) return err;
    throw err;
  }
  throw new Error("handler did not raise");
}

describe("reflex handlers", () => {
  it("link_down logs high severity targeting the device", () => {
    const ev = linkDownEvent(new Rng(1), now, false);
    const r = runHandler("link_down", ev.payload);
    expect(r).toMatchObject({ severity: "high", target: ev.payload.device });
    expect(r.summary).toContain(String(ev.payload.if_name));
  });

  it("security_webhook maps Meraki severity and defaults to warn", () => {
    expect(merakiSeverity("informational")).toBe("info");
    expect(merakiSeverity("warning")).toBe("warn");
    expect(merakiSeverity("high")).toBe("high");
    expect(merakiSeverity("Critical")).toBe("critical");
    expect(merakiSeverity("notice")).toBe("warn");
    expect(merakiSeverity(undefined)).toBe("warn");
    const ev = merakiSecurityEvent(new Rng(2), now, false);
    expect(runHandler("security_webhook", { ...ev.payload, severity: "critical" }).severity).toBe("critical");
  });

  it("bgp_drop targets device|peer", () => {
    const ev = bgpDropEvent(new Rng(3), now, false);
    expect(runHandler("bgp_drop", ev.payload)).toMatchObject({ severity: "high", target: `${ev.payload.device}|${ev.payload.peer}` });
  });

  it("raises the expected Python exception on each defective payload", () => {
    const lines = HANDLER_IDS.map((h) => exceptionLine(formatRaised(h)));
    expect(lines).toEqual([
      expect.stringMatching(/^ValueError: invalid literal for int\(\) with base 10: '(Gi|Te|Port)/),
      "AttributeError: 'NoneType' object has no attribute 'get'",
      "KeyError: 'peer'",
    ]);
    function formatRaised(h: (typeof HANDLER_IDS)[number]) {
      const ev = buildSensoryEvent(h, new Rng(4), now, true);
      return outcomeBody(
        h,
        { subject: ev.subject, id: ev.id, payload: ev.payload, receivedAt: now },
        raised(() => runHandler(h, ev.payload)),
        now,
        1,
      ).diagnostic!;
    }
  });

  it("raises a TimeoutError on transient dependency failures", () => {
    const ev = bgpDropEvent(new Rng(5), now, false);
    expect(raised(() => runHandler("bgp_drop", ev.payload, true)).exc.type).toBe("TimeoutError");
  });
});

describe("outcome bodies", () => {
  it("satisfy the lib/outcomes/outcome contract, logged and errored alike", () => {
    const rng = new Rng(6);
    for (const h of HANDLER_IDS) {
      for (const defective of [false, true]) {
        const ev = buildSensoryEvent(h, rng, now, defective);
        let result;
        try {
          result = runHandler(h, ev.payload);
        } catch (err) {
          result = err as HandlerRaised;
        }
        const body = outcomeBody(
          h,
          { subject: ev.subject, id: ev.id, payload: ev.payload, receivedAt: now },
          result,
          new Date(now.getTime() + 5),
          4.2,
        );
        expect(OutcomeBodySchema.safeParse(body).success).toBe(true);
        expect(body.kind).toBe(defective ? "errored" : "logged");
        expect(body.event).toMatchObject({ subject: ev.subject, id: ev.id, received_at: now.toISOString() });
        if (defective) expect(body).toMatchObject({ severity: "high", target: null, diagnostic: expect.stringContaining("Traceback") });
      }
    }
  });

  it("caps link_down's echo at 16 keys and every echo by size", () => {
    const wide = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(truncateEventPayload(wide, EVENT_ECHO_MAX_KEYS) as object)).toHaveLength(16);
    expect(Object.keys(truncateEventPayload(wide) as object)).toHaveLength(30);
    const huge = { blob: "x".repeat(10_000) };
    const cut = truncateEventPayload(huge);
    expect(typeof cut).toBe("string");
    expect((cut as string).length).toBeLessThan(2100);
  });

  it("makes every malformed kind fail the contract", () => {
    const ev = bgpDropEvent(new Rng(7), now, false);
    const sample = outcomeBody(
      "bgp_drop",
      { subject: ev.subject, id: ev.id, payload: ev.payload, receivedAt: now },
      runHandler("bgp_drop", ev.payload),
      now,
      3,
    );
    for (const kind of MALFORMED_KINDS) {
      const { data } = malformedOutcome(kind, sample);
      const rec = parseOutcome({ id: "1", subject: "reflex.outcome.bgp_drop", data, received_at: now.toISOString() });
      expect(rec.valid, kind).toBe(false);
      expect(rec.handler_id).toBe("bgp_drop");
    }
  });
});
