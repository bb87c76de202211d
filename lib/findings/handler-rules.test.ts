import { describe, expect, it } from "vitest";
import { emptyConsumersSnapshot } from "../consumers/types";
import { emptyStreamsSnapshot } from "../streams/types";
import { OutcomeAggregator } from "../outcomes/stats";
import type { OutcomeRecord } from "../outcomes/outcome";
import { evaluateRules } from "./rules";
import { validOutcome } from "../../testing/fixtures/outcome";

const T0 = Date.parse("2026-12-07T10:00:00.000Z");
const MIN = 60_000;
let seq = 0;

const outcome = (handler: string, at: number, duration_ms: number): OutcomeRecord =>
  validOutcome({ id: String(++seq), handler, at, severity: "info", duration_ms });

/** One outcome every 15 s over minutes [from, to), each taking `ms`. */
const every15s = (handler: string, from: number, to: number, ms: number) =>
  Array.from({ length: (to - from) * 4 }, (_, i) => outcome(handler, T0 + from * MIN + i * 15_000, ms));

function conditionsAt(agg: OutcomeAggregator, now: number) {
  const outcomes = agg.snapshot(now, { stream_available: true, history: { mode: "pending" } });
  return evaluateRules({
    now,
    streams: emptyStreamsSnapshot(),
    consumers: emptyConsumersSnapshot(),
    singletons: null,
    lockTransitions: [],
    outcomes,
  }).conditions;
}

describe("findings rules - handler latency and silence", () => {
  it("findings - a handler whose p95 more than doubled against the hour before is a warning with both p95s", () => {
    const agg = new OutcomeAggregator();
    agg.addAll([...every15s("enrich", 0, 55, 20), ...every15s("enrich", 55, 60, 95), ...every15s("dedup", 0, 60, 20)]);
    const found = conditionsAt(agg, T0 + 60 * MIN - 1);
    expect(found.map((c) => c.id)).toEqual(["handler_latency:handler:enrich"]);
    expect(found[0]).toMatchObject({ severity: "warning", link: "/outcomes?handler=enrich" });
    expect(found[0]!.evidence).toMatch(/^p95 9\dms over the last 5 min \(20 outcomes\), against 20ms in the hour before \(220\)$/);
  });

  it("findings - a steady handler that stopped is silent, with its last outcome's time and its usual rate", () => {
    const agg = new OutcomeAggregator();
    agg.addAll([...every15s("enrich", 0, 30, 20), ...every15s("dedup", 0, 40, 20)]);
    const found = conditionsAt(agg, T0 + 40 * MIN);
    expect(found.map((c) => c.id)).toEqual(["handler_silent:handler:enrich"]);
    expect(found[0]!.evidence).toBe("silent since 2026-12-07 10:29:45 UTC, usual rate 4.0/min");
  });
});
