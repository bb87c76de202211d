import { describe, expect, it } from "vitest";
import { BUCKET_MS, erroredRatioJumped, kindsOf, OutcomeAggregator, sortHandlersWorstFirst, timelineBuckets } from "./stats";
import type { OutcomeRecord, Severity } from "./outcome";
import { malformedOutcomeRecord, validOutcome } from "../../testing/fixtures/outcome";

const T0 = Date.parse("2026-11-23T14:00:00.000Z");
let n = 0;

function rec(
  at: number,
  o: { handler?: string; kind?: string; severity?: Severity; diag?: string; target?: string | null } = {},
): OutcomeRecord {
  return validOutcome({ ...o, id: String(++n), at, target: o.target ?? null, diagnostic: o.diag });
}
const malformed = (at: number, handler = "link_down"): OutcomeRecord => malformedOutcomeRecord({ id: String(++n), handler, at });
const tb = (line: string) => `Traceback (most recent call last):\n  File "/a.py", line 1, in f\n    g()\n${line}`;
const meta = { stream_available: true, history: { mode: "pending" as const } };

describe("outcome aggregator", () => {
  it("outcome-stats - counts totals, errored, malformed and the severity mix per handler", () => {
    const a = new OutcomeAggregator();
    a.addAll([
      rec(T0),
      rec(T0 + 1, { severity: "info" }),
      rec(T0 + 2, { kind: "errored", diag: tb("KeyError: 'peer'") }),
      malformed(T0 + 3),
      rec(T0, { handler: "bgp_drop", kind: "suppressed", severity: "critical" }),
    ]);
    const s = a.snapshot(T0 + 10_000, meta);
    expect(s.total).toBe(5);
    expect(s.malformed).toBe(1);
    const h = s.handlers.link_down!;
    expect(h).toMatchObject({
      total: 4,
      errored: 1,
      malformed: 1,
      severity: { info: 1, warn: 0, high: 2, critical: 0 },
      kinds: { logged: 2, errored: 1 },
    });
    expect(h.last_at).toBe(new Date(T0 + 3).toISOString());
    expect(h.last_error_at).toBe(new Date(T0 + 2).toISOString());
    expect(s.handlers.bgp_drop!.kinds).toEqual({ suppressed: 1 });
  });

  it("outcome-stats - rate is outcomes per second over the last minute at `now`", () => {
    const a = new OutcomeAggregator();
    for (let i = 0; i < 120; i++) a.add(rec(T0 + i * 1000)); // 1/s for two minutes
    expect(a.snapshot(T0 + 119_500, meta).handlers.link_down!.rate_per_s).toBeCloseTo(1, 5);
    expect(a.snapshot(T0 + 10 * 60_000, meta).handlers.link_down!.rate_per_s).toBe(0);
  });

  it("outcome-stats - the sparkline has 15 one-minute buckets ending at now", () => {
    const a = new OutcomeAggregator();
    a.add(rec(T0 + 30_000));
    a.add(rec(T0 + 14 * 60_000, { kind: "errored", diag: tb("ValueError: x") }));
    const s = a.snapshot(T0 + 14 * 60_000 + 5_000, meta).handlers.link_down!;
    expect(s.sparkline).toHaveLength(15);
    expect(s.sparkline[0]!.t).toBe(T0);
    expect(s.sparkline[0]!.total).toBe(1);
    expect(s.sparkline[14]).toMatchObject({ t: T0 + 14 * BUCKET_MS, total: 1, errored: 1 });
    expect(s.errored_ratio).toBe(0.5);
  });

  it("outcome-stats - records older than the hour count in totals but not in buckets", () => {
    const a = new OutcomeAggregator();
    a.add(rec(T0 + 2 * 3_600_000));
    a.add(rec(T0)); // two hours older, arrives later (history replay)
    const s = a.snapshot(T0 + 2 * 3_600_000, meta);
    expect(s.total).toBe(2);
    expect(s.timeline.reduce((x, b) => x + b.total, 0)).toBe(1);
    expect(s.handlers.link_down!.last_at).toBe(new Date(T0 + 2 * 3_600_000).toISOString());
  });

  it("outcome-stats - a handler whose errored ratio jumps is flagged; a steady one is not", () => {
    const a = new OutcomeAggregator();
    for (let m = 0; m < 15; m++) {
      for (let i = 0; i < 10; i++) {
        const t = T0 + m * 60_000 + i * 1000;
        // link_down: clean for 10 minutes then half errored; bgp_drop: half errored throughout.
        a.add(rec(t, { kind: m >= 10 && i % 2 === 0 ? "errored" : "logged", diag: tb("TimeoutError: x") }));
        a.add(rec(t, { handler: "bgp_drop", kind: i % 2 === 0 ? "errored" : "logged", diag: tb("KeyError: 'peer'") }));
      }
    }
    const s = a.snapshot(T0 + 14 * 60_000 + 30_000, meta);
    expect(s.handlers.link_down!.flagged).toBe(true);
    expect(s.handlers.link_down!.recent_errored_ratio).toBe(0.5);
    expect(s.handlers.link_down!.baseline_errored_ratio).toBe(0);
    expect(s.handlers.bgp_drop!.flagged).toBe(false);
    // Worst first: the flagged one on top even though both error at 50 % now.
    expect(sortHandlersWorstFirst(Object.values(s.handlers)).map((h) => h.handler_id)).toEqual(["link_down", "bgp_drop"]);
  });

  it("outcome-stats - the jump rule needs enough errors and a real rise", () => {
    expect(erroredRatioJumped({ errored: 2, total: 2 }, { errored: 0, total: 100 })).toBe(false);
    expect(erroredRatioJumped({ errored: 5, total: 10 }, { errored: 0, total: 0 })).toBe(true);
    expect(erroredRatioJumped({ errored: 5, total: 10 }, { errored: 4, total: 10 })).toBe(false);
    expect(erroredRatioJumped({ errored: 5, total: 100 }, { errored: 0, total: 100 })).toBe(false);
  });

  it("outcome-stats - error groups by handler and exception line with counts, first and last seen", () => {
    const a = new OutcomeAggregator();
    a.add(rec(T0 + 5_000, { kind: "errored", diag: tb("KeyError: 'peer'"), handler: "bgp_drop" }));
    a.add(rec(T0, { kind: "errored", diag: tb("KeyError: 'peer'"), handler: "bgp_drop" }));
    const last = rec(T0 + 9_000, { kind: "errored", diag: tb("KeyError: 'peer'"), handler: "bgp_drop" });
    a.add(last);
    a.add(rec(T0 + 1_000, { kind: "errored", diag: tb("KeyError: 'peer'"), handler: "link_down" }));
    a.add(rec(T0 + 2_000, { kind: "errored", diag: tb("ValueError: invalid literal for int() with base 10: 'Gi1/0/24'") }));
    a.add(rec(T0 + 3_000, { kind: "logged", diag: tb("NotAnError: logged") }));
    const groups = a.snapshot(T0 + 10_000, meta).groups;
    expect(groups).toHaveLength(3);
    expect(groups[0]).toMatchObject({
      handler_id: "bgp_drop",
      exception: "KeyError: 'peer'",
      count: 3,
      first_seen: new Date(T0).toISOString(),
      last_seen: new Date(T0 + 9_000).toISOString(),
      last_id: last.id,
    });
    expect(groups.map((g) => g.handler_id).sort()).toEqual(["bgp_drop", "link_down", "link_down"]);
  });

  it("outcome-stats - groups still firing sort before old larger ones", () => {
    const a = new OutcomeAggregator();
    for (let i = 0; i < 5; i++) a.add(rec(T0 + i, { kind: "errored", diag: tb("OldError: gone") }));
    a.add(rec(T0 + 50 * 60_000, { kind: "errored", diag: tb("NewError: now") }));
    expect(a.snapshot(T0 + 50 * 60_000, meta).groups.map((g) => g.exception)).toEqual(["NewError: now", "OldError: gone"]);
  });

  it("outcome-stats - errors differing only by an id fold into one group; a rollup written before fingerprints joins it", () => {
    const a = new OutcomeAggregator();
    for (let i = 0; i < 4; i++) a.add(rec(T0 + i, { kind: "errored", diag: tb(`KeyError: 'peer-${72_636 + i}'`), handler: "bgp_drop" }));
    const [rollup] = a.toRollups(T0, 4);
    // As stored before fingerprints: the exact line, no pattern, no examples.
    const old = {
      ...rollup!,
      groups: [{ exception: "KeyError: 'peer-1'", count: 2, first_t: T0 - 5_000, last_t: T0 - 4_000, last_id: "old" }],
    };
    const b = new OutcomeAggregator();
    b.addRollup(rollup!);
    b.addRollup(old);
    const groups = b.snapshot(T0 + 10_000, meta).groups;
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({
      exception: "KeyError: <str>",
      sample: "KeyError: 'peer-72639'",
      count: 6,
      first_seen: new Date(T0 - 5_000).toISOString(),
    });
    expect(groups[0]!.examples.map((e) => e.value)).toEqual(["'peer-72636'", "'peer-72637'", "'peer-72638'", "'peer-72639'", "'peer-1'"]);
  });

  it("outcome-stats - the hour timeline sums handlers per minute by severity and kind", () => {
    const a = new OutcomeAggregator();
    a.add(rec(T0, { severity: "warn" }));
    a.add(rec(T0 + 10, { handler: "bgp_drop", severity: "critical", kind: "errored", diag: tb("E: x") }));
    a.add(malformed(T0 + 20));
    const s = a.snapshot(T0 + 30_000, meta);
    expect(s.timeline).toHaveLength(60);
    expect(s.timeline.at(-1)).toMatchObject({
      t: T0,
      total: 3,
      errored: 1,
      malformed: 1,
      severity: { info: 0, warn: 1, high: 0, critical: 1 },
      kinds: { logged: 1, errored: 1 },
    });
  });
});

describe("timeline over a range", () => {
  it("outcome-stats - buckets a range into equal slices and ignores records outside it", () => {
    const records = [
      rec(T0 - 1),
      rec(T0),
      rec(T0 + 59_999, { kind: "errored" }),
      rec(T0 + 60_000, { severity: "info" }),
      rec(T0 + 120_000),
    ];
    const b = timelineBuckets(records, T0, T0 + 120_000, 2);
    expect(b.map((x) => x.t)).toEqual([T0, T0 + 60_000]);
    expect(b.map((x) => x.total)).toEqual([2, 1]);
    expect(b[0]!.errored).toBe(1);
    expect(b[1]!.severity.info).toBe(1);
    expect(kindsOf(b)).toEqual(["logged", "errored"]);
  });

  it("outcome-stats - kindsOf lists known kinds first, unknown ones sorted", () => {
    const b = timelineBuckets([rec(T0, { kind: "zeta" }), rec(T0, { kind: "alpha" }), rec(T0, { kind: "errored" })], T0, T0 + 1000, 1);
    expect(kindsOf(b)).toEqual(["errored", "alpha", "zeta"]);
  });
});

describe("outcome aggregator - latency and silence", () => {
  const timed = (at: number, duration_ms: number): OutcomeRecord => {
    const r = rec(at, { handler: "slow_down" });
    return r.valid ? { ...r, body: { ...r.body, duration_ms } } : r;
  };
  /** `perMinute` outcomes a minute over minutes [fromMinute, toMinute), each taking `ms`. */
  const minutes = (fromMinute: number, toMinute: number, perMinute: number, ms: number) =>
    Array.from({ length: (toMinute - fromMinute) * perMinute }, (_, i) =>
      timed(T0 + fromMinute * BUCKET_MS + Math.floor(i / perMinute) * BUCKET_MS + (i % perMinute) * 1_000, ms + (i % 10)),
    );
  const snapshotAt = (agg: OutcomeAggregator, minute: number) =>
    agg.snapshot(T0 + minute * BUCKET_MS - 1, { stream_available: true, history: { mode: "pending" } }).handlers.slow_down!;

  it("stats - p95 of the last 5 minutes over twice the hour before's is flagged, with both p95s as evidence", () => {
    const agg = new OutcomeAggregator();
    agg.addAll(minutes(0, 55, 4, 10));
    agg.addAll(minutes(55, 60, 4, 40));
    const h = snapshotAt(agg, 60);
    expect(h.latency_jump).toMatchObject({ recent_count: 20, baseline_count: 220 });
    expect(h.latency_jump!.recent_p95).toBeGreaterThan(2 * h.latency_jump!.baseline_p95);
    expect(h.latency!.count).toBe(240);
    expect(h.latency_series).toHaveLength(60);
    expect(h.latency_series.at(-1)!.p50).toBeGreaterThan(40 * 0.99);
  });

  it("stats - a p95 that only doubles, or too few recent samples, is not flagged", () => {
    const doubled = new OutcomeAggregator();
    doubled.addAll(minutes(0, 55, 4, 10));
    doubled.addAll(minutes(55, 60, 4, 19));
    expect(snapshotAt(doubled, 60).latency_jump).toBeNull();
    const sparse = new OutcomeAggregator();
    sparse.addAll(minutes(0, 55, 4, 10));
    sparse.addAll(minutes(55, 60, 3, 100));
    expect(snapshotAt(sparse, 60).latency_jump).toBeNull();
  });

  it("stats - a handler that stops is reported silent past max(5 min, 10 × its interval), and keeps its last outcome", () => {
    const agg = new OutcomeAggregator();
    agg.addAll(minutes(0, 20, 1, 10));
    expect(snapshotAt(agg, 29 + 1 / BUCKET_MS).silent).toBeNull(); // exactly 10 minutes after the last
    const h = snapshotAt(agg, 29 + 2 / BUCKET_MS);
    expect(h.silent).toMatchObject({ since: new Date(T0 + 19 * BUCKET_MS).toISOString(), usual_interval_ms: BUCKET_MS });
    expect(h.last_at).toBe(h.silent!.since);
  });
});
