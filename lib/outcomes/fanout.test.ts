import { describe, expect, it } from "vitest";
import { eventFanout } from "./fanout";
import { filterOutcomes } from "./filter";
import { parseOutcome, type OutcomeRecord } from "./outcome";

const enc = new TextEncoder();
const record = (handler: string, event: Record<string, unknown>, emitted = "2026-12-07T10:00:01Z"): OutcomeRecord =>
  parseOutcome({
    id: `${handler}-${String(event.id)}`,
    subject: `reflex.outcome.${handler}`,
    received_at: emitted,
    data: enc.encode(JSON.stringify({ handler_id: handler, severity: "info", kind: "logged", target: null, event, emitted_at: emitted })),
  });

describe("event fan-out", () => {
  it("event fan-out - by the event's id: every handler's outcome of that event, none of another event", () => {
    const mine = record("link_down", { subject: "sensory.trap", id: "ev-1", received_at: "2026-12-07T10:00:00Z" });
    const all = [
      mine,
      record("bgp_drop", { subject: "sensory.trap", id: "ev-1" }),
      record("link_down", { subject: "sensory.trap", id: "ev-2" }),
    ];
    const fan = eventFanout(mine)!;
    expect(fan.basis).toBe("event_id");
    expect(filterOutcomes(all, fan.filter).map((r) => r.handler_id)).toEqual(["link_down", "bgp_drop"]);
  });

  it("event fan-out - without an id: the same subject within seconds of the event, said to be a guess", () => {
    const mine = record("link_down", { subject: "sensory.trap" }, "2026-12-07T10:00:00Z");
    const fan = eventFanout(mine)!;
    expect(fan.basis).toBe("subject_and_time");
    const near = record("bgp_drop", { subject: "sensory.trap" }, "2026-12-07T10:00:04Z");
    const later = record("bgp_drop", { subject: "sensory.trap" }, "2026-12-07T10:00:06Z");
    const other = record("bgp_drop", { subject: "sensory.other" }, "2026-12-07T10:00:01Z");
    expect(filterOutcomes([mine, near, later, other], fan.filter)).toEqual([mine, near]);
  });

  it("event fan-out - a malformed outcome has no event to follow", () => {
    const bad = parseOutcome({ id: "x", subject: "reflex.outcome.a", received_at: "", data: enc.encode("{") });
    expect(eventFanout(bad)).toBeNull();
  });
});
