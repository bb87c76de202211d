import { describe, expect, it } from "vitest";
import { applyFindingEvent, findingEventId, FindingEventSchema, type FindingEvent } from "./events";
import { findingId, type Finding } from "./finding";
import { findingsSnapshot, initialFindingsState, stepFindings, type FindingsState, type HysteresisConfig } from "./hysteresis";

const CFG: HysteresisConfig = { openAfter: 3, resolveAfter: 2, keepResolved: 10 };
const entity = { kind: "consumer" as const, stream: "ORDERS", consumer: "billing" };
const SINCE = "2026-11-23T12:00:00.000Z";
const finding = (over: Partial<Finding> = {}): Finding => ({
  id: findingId(entity, "consumer_health"),
  severity: "critical",
  entity,
  rule: "consumer_health",
  evidence: "STALL",
  link: "/consumers/ORDERS/billing",
  state: "open",
  since: SINCE,
  resolved_at: null,
  ...over,
});
const opened: FindingEvent = { type: "opened", finding: finding() };
const resolved: FindingEvent = { type: "resolved", finding: finding({ state: "resolved", resolved_at: "2026-11-23T12:05:00.000Z" }) };
const apply = (events: FindingEvent[], state: FindingsState = initialFindingsState()) =>
  events.reduce((s, e) => applyFindingEvent(s, e, CFG), state);
const view = (s: FindingsState) => findingsSnapshot(s, SINCE);

describe("findings events", () => {
  it("findings - a severity change reaches a follower: the open finding takes the new severity and keeps its since", () => {
    const changed: FindingEvent = { type: "severity_changed", finding: finding({ severity: "warning" }), previous_severity: "critical" };
    expect(view(apply([opened, changed])).open).toEqual([finding({ severity: "warning" })]);
    expect(view(apply([changed])).open).toEqual([]); // a change to a finding not open here opens nothing
    expect(
      view(apply([opened, { ...changed, finding: finding({ severity: "warning", since: "2026-11-23T12:09:00.000Z" }) }])).open,
    ).toEqual([finding()]);
    expect(FindingEventSchema.parse(JSON.parse(JSON.stringify(changed)))).toEqual(changed);
  });

  it("findings - each severity reached has its own event id, apart from the opening's", () => {
    const to = (severity: Finding["severity"]): FindingEvent => ({ type: "severity_changed", finding: finding({ severity }) });
    const ids = new Set([findingEventId(opened), findingEventId(to("warning")), findingEventId(to("critical"))]);
    expect(ids.size).toBe(3);
  });

  it("findings - a replayed opened event is open with its own since, and applying it twice changes nothing", () => {
    const once = apply([opened]);
    expect(view(once).open).toEqual([finding()]);
    expect(applyFindingEvent(once, opened, CFG)).toBe(once);
  });

  it("findings - a finding this replica opened after the one in the log takes the log's earlier since", () => {
    const later = apply([{ type: "opened", finding: finding({ since: "2026-11-23T12:09:00.000Z", evidence: "STALL now" }) }]);
    expect(view(applyFindingEvent(later, opened, CFG)).open).toEqual([finding({ evidence: "STALL now" })]);
  });

  it("findings - opened then resolved is resolved; a replay's late opened after the live resolved stays resolved", () => {
    expect(view(apply([opened, resolved]))).toMatchObject({ open: [], resolved: [resolved.finding] });
    expect(view(apply([resolved, opened]))).toMatchObject({ open: [], resolved: [resolved.finding] });
  });

  it("findings - a replayed open finding resolves after M clear evaluations, as one this replica opened would", () => {
    let state = apply([opened]);
    state = stepFindings(state, [], new Set(["consumer"]), "2026-11-23T12:10:00.000Z", CFG).state;
    expect(view(state).open).toHaveLength(1);
    const step = stepFindings(state, [], new Set(["consumer"]), "2026-11-23T12:10:01.000Z", CFG);
    expect(step.resolved).toEqual([expect.objectContaining({ id: opened.finding.id, since: SINCE })]);
  });

  it("findings - the event schema refuses a finding with an unknown rule or a bad time", () => {
    expect(FindingEventSchema.safeParse(opened).success).toBe(true);
    expect(FindingEventSchema.safeParse({ ...opened, finding: { ...opened.finding, rule: "nope" } }).success).toBe(false);
    expect(FindingEventSchema.safeParse({ ...opened, finding: { ...opened.finding, since: "yesterday" } }).success).toBe(false);
  });
});
