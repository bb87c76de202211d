import { describe, expect, it } from "vitest";
import { OutcomeAggregator } from "./stats";
import { OutcomeRollupSchema, ROLLUP_MINUTE_MS } from "./rollup";
import { rangeRollups, summarizeRange } from "./range-summary";
import { comparableStats, rollupFixture, ROLLUP_T0 as T0 } from "../../testing/fixtures/outcome-rollups";

const input = rollupFixture(400); // ~6.6 minutes of records about 1 s apart, from T0
const history = { mode: "pending" as const };

/** The reference: every raw record that arrived in [from, to), folded one by one. */
function folded(from: number, to: number) {
  const agg = new OutcomeAggregator();
  for (const { r, arrivedAt } of input.records) if (arrivedAt >= from && arrivedAt < to) agg.add(r);
  return comparableStats(agg.snapshot(to, { stream_available: true, history }));
}

function viaRollups(from: number, to: number) {
  const raw = input.records.map((x) => x.r);
  const s = summarizeRange({ rollups: input.rollups, raw, from, to, history });
  return comparableStats(s);
}

describe("outcome range summary", () => {
  it("range-summary - a range inside one minute is counted from raw records only", () => {
    const from = T0 + 2 * ROLLUP_MINUTE_MS + 5_000;
    const to = from + 40_000;
    expect(rangeRollups(input.rollups, from, to).covered).toBeNull();
    expect(viaRollups(from, to)).toEqual(folded(from, to));
    expect(viaRollups(from, to).total).toBeGreaterThan(30);
  });

  it("range-summary - starting and ending mid-minute: whole minutes from rollups, both ends from raw records", () => {
    const from = T0 + 30_000;
    const to = T0 + 4 * ROLLUP_MINUTE_MS + 20_000;
    const parts = rangeRollups(input.rollups, from, to);
    expect(parts.covered).toMatchObject({ from: T0 + ROLLUP_MINUTE_MS, to: T0 + 4 * ROLLUP_MINUTE_MS });
    expect(new Set(parts.rollups.map((r) => r.minute))).toEqual(new Set([1, 2, 3].map((m) => T0 + m * ROLLUP_MINUTE_MS)));
    expect(viaRollups(from, to)).toEqual(folded(from, to));
  });

  it("range-summary - a range on minute boundaries takes everything from rollups", () => {
    const from = T0 + ROLLUP_MINUTE_MS;
    const to = T0 + 3 * ROLLUP_MINUTE_MS;
    const s = summarizeRange({ rollups: input.rollups, raw: [], from, to, history });
    expect(comparableStats(s)).toEqual(folded(from, to));
  });

  it("range-summary - minutes without rollups (not written yet) are counted from raw records", () => {
    const from = T0 + 10_000;
    const to = T0 + 6 * ROLLUP_MINUTE_MS + 10_000;
    const older = input.rollups.filter((r) => r.minute < T0 + 3 * ROLLUP_MINUTE_MS);
    expect(rangeRollups(older, from, to).covered).toMatchObject({ from: T0 + ROLLUP_MINUTE_MS, to: T0 + 3 * ROLLUP_MINUTE_MS });
    const raw = input.records.map((x) => x.r);
    expect(comparableStats(summarizeRange({ rollups: older, raw, from, to, history }))).toEqual(folded(from, to));
  });

  it("range-summary - records stored in a rolled-up minute after its rollup was written are counted raw, once", () => {
    const early = rollupFixture(30); // minute 0's rollup written after record 30 of the 400
    const from = T0;
    const to = T0 + ROLLUP_MINUTE_MS;
    const raw = input.records.map((x) => x.r);
    const s = summarizeRange({ rollups: early.rollups, raw, from, to, history });
    expect(comparableStats(s)).toEqual(folded(from, to));
  });

  it("range-summary - matches folding raw records over random ranges and minute boundaries", () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 60; i++) {
      const a = T0 - 30_000 + Math.floor(rand() * 8 * ROLLUP_MINUTE_MS);
      const b = a + Math.floor(rand() * 5 * ROLLUP_MINUTE_MS);
      expect(viaRollups(a, b)).toEqual(folded(a, b));
    }
  });
});

describe("outcome range summary - latency", () => {
  const durationsIn = (from: number, to: number) =>
    input.records.filter(({ r, arrivedAt }) => arrivedAt >= from && arrivedAt < to && r.valid && r.body.duration_ms !== undefined).length;

  it("range-summary - p50/p95/p99 merged from the rollups' sketches equal those of folding the raw durations", () => {
    const from = T0 + 20_000;
    const to = T0 + 5 * ROLLUP_MINUTE_MS + 10_000;
    const s = viaRollups(from, to);
    expect(rangeRollups(input.rollups, from, to).rollups.some((r) => r.buckets.some((b) => b.latency))).toBe(true);
    const counts = Object.values(s.handlers).reduce((n, h) => n + (h.latency?.count ?? 0), 0);
    expect(counts).toBe(durationsIn(from, to));
    for (const h of Object.values(s.handlers)) expect(h.latency).toEqual(folded(from, to).handlers[h.handler_id]!.latency);
  });

  it("range-summary - rollups written before latency was kept still read: those minutes add counts but no durations", () => {
    const from = T0 + ROLLUP_MINUTE_MS;
    const to = T0 + 3 * ROLLUP_MINUTE_MS;
    const old = input.rollups.map((r) => {
      const { unbucketed_latency: _u, first_t: _f, ...rest } = r;
      return OutcomeRollupSchema.parse({ ...rest, buckets: r.buckets.map(({ latency: _l, ...b }) => b) });
    });
    const s = summarizeRange({ rollups: old, raw: [], from, to, history });
    expect(s.total).toBe(folded(from, to).total);
    for (const h of Object.values(s.handlers)) expect(h.latency).toBeNull();
  });
});
