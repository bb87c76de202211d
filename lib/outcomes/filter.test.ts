import { describe, expect, it } from "vitest";
import {
  filterOutcomes,
  newestFirstWindows,
  OutcomeQuerySchema,
  relatedFilters,
  matchesOutcome,
  outcomeFilterToSearch,
  parseOutcomeFilter,
  ignoreUnknownOutcomeValues,
  parseOutcomeFilterLenient,
  unmatchedOutcomeValues,
  type OutcomeFilter,
} from "./filter";
import { toOutcomeRow, type OutcomeRecord } from "./outcome";
import { malformedOutcomeRecord, validOutcome } from "../../testing/fixtures/outcome";

const r = (
  o: Partial<{ handler: string; severity: "info" | "warn" | "high" | "critical"; kind: string; target: string | null; at: string }>,
): OutcomeRecord =>
  validOutcome({
    ...o,
    handler: o.handler ?? "bgp_drop",
    target: o.target === undefined ? "edge-rtr-01|10.0.0.2" : o.target,
    event: { subject: "s" },
  });
const bad: OutcomeRecord = malformedOutcomeRecord({ id: "2", handler: "bgp_drop", raw: "x" });

const errored = (exception: string): OutcomeRecord => {
  const base = r({ kind: "errored" });
  if (!base.valid) throw new Error("unreachable");
  return { ...base, body: { ...base.body, diagnostic: `Traceback (most recent call last):\n  File "x.py", line 1\n${exception}` } };
};

describe("outcome filter", () => {
  it("outcome-filter - the exception filter keeps one error group's outcomes, as records and as feed rows", () => {
    const f = parseOutcomeFilter(new URLSearchParams("exception=KeyError%3A+%3Cstr%3E"));
    expect(f).toEqual({ success: true, data: { exception: "KeyError: <str>" } });
    expect(outcomeFilterToSearch({ handler: "h", exception: "KeyError: <str>" })).toBe("?handler=h&exception=KeyError%3A+%3Cstr%3E");
    const records = [errored("KeyError: 'peer-1'"), errored("KeyError: 'peer-2'"), errored("KeyError: 'peer'"), r({}), bad];
    const pick = { exception: "KeyError: <str>" };
    expect(filterOutcomes(records, pick)).toEqual(records.slice(0, 2));
    expect(filterOutcomes(records.map(toOutcomeRow), pick).map((row) => row.id)).toEqual(records.slice(0, 2).map((x) => x.id));
    expect(unmatchedOutcomeValues(pick)).toContain("exception: no errored outcome falls in the group");
  });

  it("outcome-filter - round-trips through URL search params", () => {
    const f: OutcomeFilter = {
      handler: "bgp_drop",
      severity: ["high", "critical"],
      kind: "errored",
      target: "edge-rtr",
      event: "sensory.snmp.trap.link_down.core-sw-01",
      from: "2026-11-23T13:00:00.000Z",
      to: "2026-11-23T14:00:00.000Z",
    };
    const url = new URLSearchParams(outcomeFilterToSearch(f));
    const back = parseOutcomeFilter(new URLSearchParams(url.toString()));
    expect(back.success && back.data).toEqual(f);
  });

  it("outcome-filter - an empty URL is an empty filter and writes no params", () => {
    const p = parseOutcomeFilter(new URLSearchParams(""));
    expect(p.success && outcomeFilterToSearch(p.data)).toBe("");
  });

  it("outcome-filter - severities are deduplicated into canonical order", () => {
    const p = parseOutcomeFilter({ severity: "critical,info,critical" });
    expect(p.success && p.data.severity).toEqual(["info", "critical"]);
  });

  it("outcome-filter - a bad parameter is named", () => {
    const sev = parseOutcomeFilter({ severity: "error" });
    expect(!sev.success && sev.error.issues[0]!.path[0]).toBe("severity");
    const from = parseOutcomeFilter({ from: "yesterday" });
    expect(!from.success && from.error.issues[0]!.path[0]).toBe("from");
    const order = parseOutcomeFilter({ from: "2026-11-23T14:00:00Z", to: "2026-11-23T13:00:00Z" });
    expect(!order.success && order.error.issues[0]!.path[0]).toBe("to");
  });

  it("outcome-filter - the lenient parser ignores only the bad parameters, naming each with its value and why", () => {
    expect(parseOutcomeFilterLenient({ handler: "link_down", severity: "bogus", from: "nope" })).toEqual({
      filter: { handler: "link_down" },
      ignored: [
        'severity: "bogus" is not valid (unknown severity bogus; one of info, warn, high, critical)',
        'from: "nope" is not valid (an ISO-8601 time like 2026-11-23T14:05:00Z)',
      ],
    });
    const long = "x".repeat(300);
    expect(parseOutcomeFilterLenient({ target: long }).ignored).toEqual([
      `target: "${"x".repeat(60)}…" is not valid (at most 200 characters)`,
    ]);
  });

  it("outcome-filter - a handler or kind the summary does not know is ignored and named; known ones stay", () => {
    const known = { handlers: ["link_down", "bgp_flap"], kinds: ["errored", "logged", "ticket"] };
    expect(ignoreUnknownOutcomeValues({ handler: "nope", kind: "ticket", severity: ["high"] }, known)).toEqual({
      filter: { kind: "ticket", severity: ["high"] },
      ignored: ['handler: no handler named "nope" (2 known: link_down, bgp_flap)'],
    });
    expect(ignoreUnknownOutcomeValues({ handler: "link_down", kind: "reboot" }, known)).toEqual({
      filter: { handler: "link_down" },
      ignored: ['kind: no outcome kind "reboot" (3 known: errored, logged, ticket)'],
    });
    expect(ignoreUnknownOutcomeValues({ handler: "link_down", kind: "logged" }, known).ignored).toEqual([]);
    // before the summary arrives nothing is judged
    expect(ignoreUnknownOutcomeValues({ handler: "nope" }, null)).toEqual({ filter: { handler: "nope" }, ignored: [] });
  });

  it("outcome-filter - target and event values are named when nothing matches them", () => {
    expect(unmatchedOutcomeValues({ target: "core-9" })).toBe(`target: no outcome's target contains "core-9" — shown empty`);
    expect(unmatchedOutcomeValues({ event: "sensory.x", kind: "errored" })).toBe(
      `event: no outcome was triggered by subject "sensory.x" with the other filters — shown empty`,
    );
    expect(unmatchedOutcomeValues({ handler: "link_down", severity: ["high"] })).toBeNull();
  });

  it("outcome-filter - matches handler, severity, kind, target substring and time range", () => {
    expect(matchesOutcome(r({}), {})).toBe(true);
    expect(matchesOutcome(r({}), { handler: "link_down" })).toBe(false);
    expect(matchesOutcome(r({}), { severity: ["info", "high"] })).toBe(true);
    expect(matchesOutcome(r({}), { severity: ["info"] })).toBe(false);
    expect(matchesOutcome(r({}), { kind: "errored" })).toBe(false);
    expect(matchesOutcome(r({}), { target: "RTR-01|10" })).toBe(true);
    expect(matchesOutcome(r({ target: null }), { target: "rtr" })).toBe(false);
    expect(matchesOutcome(r({}), { from: "2026-11-23T14:00:00Z", to: "2026-11-23T14:00:01Z" })).toBe(true);
    expect(matchesOutcome(r({}), { to: "2026-11-23T14:00:00Z" })).toBe(false);
    expect(matchesOutcome(r({}), { from: "2026-11-23T14:00:00.001Z" })).toBe(false);
  });

  it("outcome-filter - malformed records match handler and time filters only", () => {
    expect(filterOutcomes([bad, r({ handler: "link_down" })], { handler: "bgp_drop" })).toEqual([bad]);
    expect(matchesOutcome(bad, { kind: "errored" })).toBe(false);
    expect(matchesOutcome(bad, { target: "x" })).toBe(false);
  });

  it("outcome-filter - related links share handler, target or event subject in a window around the outcome", () => {
    const rel = relatedFilters(r({ target: "core-sw-01" }), 60_000);
    expect(rel.handler).toEqual({ handler: "bgp_drop", from: "2026-11-23T13:59:00.000Z", to: "2026-11-23T14:01:00.000Z" });
    expect(rel.target?.target).toBe("core-sw-01");
    expect(rel.event?.event).toBe("s");
    expect(relatedFilters(r({ target: null })).target).toBeNull();
    expect(relatedFilters(bad).event).toBeNull();
    expect(matchesOutcome(r({}), { event: "s" })).toBe(true);
    expect(matchesOutcome(r({}), { event: "t" })).toBe(false);
  });

  it("outcome-filter - newest-first scan windows grow ×4, stay inside the range and within the cap", () => {
    expect(newestFirstWindows(1, 10_000, 500, 50_000)).toEqual([
      { from: 9_501, to: 10_000 },
      { from: 7_501, to: 9_500 },
      { from: 1, to: 7_500 },
    ]);
    expect(newestFirstWindows(1, 100_000, 500, 3_000)).toEqual([
      { from: 99_501, to: 100_000 },
      { from: 97_501, to: 99_500 },
      { from: 97_001, to: 97_500 }, // what is left of the cap
    ]);
    expect(newestFirstWindows(5, 4, 500, 50_000)).toEqual([]);
    const ws = newestFirstWindows(1, 1_000_000, 200, 50_000);
    expect(ws.reduce((n, w) => n + w.to - w.from + 1, 0)).toBe(50_000);
    ws.slice(1).forEach((w, i) => expect(w.to).toBe(ws[i]!.from - 1)); // contiguous, no overlap
  });

  it("outcome-filter - the query API's timeline flag is true unless turned off, and named when wrong", () => {
    expect(OutcomeQuerySchema.parse({}).timeline).toBe(true);
    expect(OutcomeQuerySchema.parse({ timeline: "false" }).timeline).toBe(false);
    const bad = OutcomeQuerySchema.safeParse({ timeline: "no" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["timeline"]);
  });
});
