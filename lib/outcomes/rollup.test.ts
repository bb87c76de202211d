import { describe, expect, it } from "vitest";
import { OutcomeAggregator } from "./stats";
import {
  floorMinute,
  parseRollup,
  ROLLUP_IDLE_GRACE_MS,
  ROLLUP_MINUTE_MS,
  RollupBuilder,
  usableRollups,
  type OutcomeRollup,
} from "./rollup";
import type { OutcomeRecord, Severity } from "./outcome";

const T0 = Date.parse("2026-11-23T14:00:00.000Z");
const HANDLERS = ["link_down", "bgp_drop", "cpu_hot"];
const KINDS = ["logged", "errored", "suppressed"];
const SEVERITIES: Severity[] = ["info", "warn", "high", "critical"];
const DIAGS = ["KeyError: 'peer'", "ValueError: bad", "TimeoutError"];

/** Deterministic mixed records over ~5 minutes: valid and malformed, several handlers, errors in groups. */
function records(n: number): { r: OutcomeRecord; arrivedAt: number; seq: number }[] {
  return Array.from({ length: n }, (_, i) => {
    const seq = i + 1;
    const arrivedAt = T0 + i * 997;
    const handler = HANDLERS[i % 3]!;
    // Emitted a little before arrival, sometimes in the previous minute: buckets follow outcome time.
    const emitted = arrivedAt - (i % 7) * 1_500;
    const common = {
      id: String(seq),
      subject: `reflex.outcome.${handler}`,
      handler_id: handler,
      received_at: new Date(arrivedAt).toISOString(),
      stream_seq: seq,
      size: 10,
    };
    if (i % 11 === 0) return { r: { ...common, valid: false, raw: "{", error: "not JSON" }, arrivedAt, seq };
    const kind = KINDS[i % 3 === 0 ? 1 : i % 2]!;
    const body = {
      handler_id: handler,
      severity: SEVERITIES[i % 4]!,
      kind,
      target: null,
      diagnostic: kind === "errored" ? DIAGS[i % 3] : undefined,
      event: { subject: "sensory.x" },
      emitted_at: new Date(emitted).toISOString(),
    };
    return { r: { ...common, valid: true, body }, arrivedAt, seq };
  });
}

function rollupsOf(input: ReturnType<typeof records>): OutcomeRollup[] {
  const b = new RollupBuilder();
  const out = input.flatMap(({ r, arrivedAt, seq }) => b.add(r, arrivedAt, seq));
  const last = input[input.length - 1]!;
  return out.concat(b.closeIfIdle(floorMinute(last.arrivedAt) + ROLLUP_MINUTE_MS + ROLLUP_IDLE_GRACE_MS, last.seq));
}

/** The snapshot minus the per-second rate, which rollups do not carry (it is live-only by design). */
function comparable(agg: OutcomeAggregator, now: number) {
  const s = agg.snapshot(now, { stream_available: true, history: { mode: "pending" } });
  for (const h of Object.values(s.handlers)) h.rate_per_s = 0;
  return s;
}

describe("outcome rollups", () => {
  it("outcome-rollup - folding rollups gives the same summary as folding every record", () => {
    const input = records(400);
    const direct = new OutcomeAggregator();
    input.forEach(({ r }) => direct.add(r));
    const viaRollups = new OutcomeAggregator();
    const rollups = rollupsOf(input);
    rollups.forEach((r) => viaRollups.addRollup(r));
    const now = T0 + 10 * ROLLUP_MINUTE_MS;
    expect(comparable(viaRollups, now)).toEqual(comparable(direct, now));
    expect(new Set(rollups.map((r) => r.minute)).size).toBe(7); // 400 records ~1 s apart: 7 arrival minutes
  });

  it("outcome-rollup - a minute closes on a later record, or when idle after its end with nothing newer", () => {
    const b = new RollupBuilder();
    const [a, c] = records(2);
    expect(b.add(a!.r, T0 + 1_000, 1)).toEqual([]);
    expect(b.closeIfIdle(T0 + ROLLUP_MINUTE_MS, 1)).toEqual([]); // the minute is not over
    expect(b.closeIfIdle(T0 + 2 * ROLLUP_MINUTE_MS, 2)).toEqual([]); // the stream has a record we have not seen
    const closed = b.closeIfIdle(T0 + ROLLUP_MINUTE_MS + ROLLUP_IDLE_GRACE_MS, 1);
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ minute: T0, minute_last_seq: 1, handlers_in_minute: 1, total: 1 });
    b.add(c!.r, T0 + 61_000, 2);
    expect(b.add(c!.r, T0 + 125_000, 3).map((r) => r.minute)).toEqual([T0 + ROLLUP_MINUTE_MS]);
  });

  it("outcome-rollup - a load keeps complete minutes in order and resumes after the last one", () => {
    const rollups = rollupsOf(records(400));
    const all = usableRollups(rollups);
    expect(all.rollups).toHaveLength(rollups.length);
    expect(all.resumeSeq).toBe(400);
    // A writer died in the middle of minute 3: minutes 3 and later are recomputed from raw records.
    const minutes = [...new Set(rollups.map((r) => r.minute))].sort((x, y) => x - y);
    const cut = rollups.filter((r) => !(r.minute === minutes[3] && r.handler_id === "cpu_hot"));
    const partial = usableRollups(cut);
    expect(partial.lastMinute).toBe(minutes[2]);
    expect(partial.rollups.every((r) => r.minute <= minutes[2]!)).toBe(true);
    expect(partial.resumeSeq).toBe(rollups.find((r) => r.minute === minutes[2])!.minute_last_seq);
    // The same minute written twice (outside the dedup window) counts once.
    expect(usableRollups([...rollups, ...rollups]).rollups).toHaveLength(rollups.length);
  });

  it("outcome-rollup - stored rollups are validated", () => {
    const [r] = rollupsOf(records(3));
    const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
    expect(parseRollup(enc(r))).toEqual({ ok: true, rollup: r });
    expect(parseRollup(enc({ ...r, total: -1 })).ok).toBe(false);
    expect(parseRollup(new TextEncoder().encode("{"))).toMatchObject({ ok: false, error: expect.stringMatching(/not JSON/) });
  });
});
