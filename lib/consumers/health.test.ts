import { describe, expect, it } from "vitest";
import {
  DEFAULT_HEALTH_CONFIG,
  drainIsAlarming,
  consumerRates,
  diagnose,
  drainTime,
  evaluateHealth,
  formatDrain,
  lagSlope,
  newest,
  noDeadLetters,
  thresholdsFor,
  type ConsumerSample,
  type HealthThresholds,
} from "./health";

const T0 = Date.parse("2026-11-23T12:00:00Z");
const t: HealthThresholds = { ...DEFAULT_HEALTH_CONFIG, lagThreshold: null };

/** n samples one second apart; `f(i)` overrides fields of sample i. Active, created long ago, stream growing 10/s. */
function windowOf(n: number, f: (i: number) => Partial<ConsumerSample>): ConsumerSample[] {
  return Array.from({ length: n }, (_, i) => ({
    at: T0 + i * 1000,
    lag: 0,
    ack_floor: 100 + i * 10,
    delivered: 100 + i * 10,
    ack_pending: 0,
    redelivered: 0,
    stream_last_seq: 100 + i * 10,
    last_active: T0 + i * 1000,
    max_ack_pending: 1000,
    created: T0 - 3_600_000,
    ...f(i),
  }));
}
const nowOf = (w: ConsumerSample[]) => w[w.length - 1]!.at;
const verdict = (w: ConsumerSample[], dl = noDeadLetters(), th = t) => evaluateHealth(w, dl, th, nowOf(w));

describe("consumer health rules", () => {
  it("consumer health - caught up is OK whatever else happens", () => {
    const v = verdict(windowOf(10, () => ({ lag: 0 })));
    expect(v).toMatchObject({ status: "OK", rule: "caught_up" });
  });

  it("consumer health - a short window gives no verdict, even when lag grows", () => {
    const v = verdict(windowOf(4, (i) => ({ lag: 100 + i * 100, ack_floor: 100 })));
    expect(v).toMatchObject({ status: "OK", rule: "short_window" });
    expect(v.evidence).toBe("4 samples of 5 needed; no verdict yet");
  });

  it("consumer health - an idle stream with a caught-up idle consumer is OK, not STOP", () => {
    const w = windowOf(10, () => ({ lag: 0, ack_floor: 500, delivered: 500, stream_last_seq: 500, last_active: T0 - 3_600_000 }));
    expect(verdict(w).status).toBe("OK");
  });

  it("consumer health - lag growing steadily across the window is WARN with the growth in words", () => {
    const v = verdict(windowOf(10, (i) => ({ lag: 1000 + i * 30 })));
    expect(v).toMatchObject({ status: "WARN", rule: "lag_growing" });
    expect(v.evidence).toBe("lag grew from 1,000 to 1,270 over 10 samples (30/s)");
  });

  it("consumer health - growth below warnMinGrowth is batch noise, not WARN", () => {
    expect(verdict(windowOf(10, (i) => ({ lag: 5 + (i % 3) * 5 + (i === 9 ? 10 : 0) }))).status).toBe("OK");
  });

  it("consumer health - a sawtooth that mostly goes down is not WARN even if it ends higher", () => {
    const lags = [100, 300, 90, 290, 80, 280, 70, 270, 60, 130];
    expect(verdict(windowOf(10, (i) => ({ lag: lags[i]! }))).rule).not.toBe("lag_growing");
  });

  it("consumer health - once WARN for growth, a slower or flat window stays WARN until lag shrinks (no flapping)", () => {
    const w = windowOf(10, (i) => ({ lag: 60 + i })); // +9: below warnMinGrowth on its own
    expect(verdict(w).rule).toBe("lag_steady");
    const prev = { status: "WARN" as const, rule: "lag_growing" as const, evidence: "" };
    expect(evaluateHealth(w, noDeadLetters(), t, nowOf(w), prev)).toMatchObject({
      status: "WARN",
      evidence: "still behind: lag 60 → 69 over 10 samples, not shrinking yet",
    });
    const flat = windowOf(10, () => ({ lag: 60 }));
    expect(evaluateHealth(flat, noDeadLetters(), t, nowOf(flat), { ...prev, rule: "falling_behind" }).status).toBe("WARN");
    const slightlyDown = windowOf(10, (i) => ({ lag: 80 - i })); // -9: a fall below warnMinGrowth is noise too
    expect(evaluateHealth(slightlyDown, noDeadLetters(), t, nowOf(slightlyDown), prev)).toMatchObject({
      status: "WARN",
      rule: "lag_growing",
      evidence: "still behind: lag 80 → 71 over 10 samples, down by less than 20",
    });
    const falling = windowOf(10, (i) => ({ lag: 80 - i * 3 })); // -27
    expect(evaluateHealth(falling, noDeadLetters(), t, nowOf(falling), prev)).toMatchObject({ status: "OK", rule: "lag_shrinking" });
  });

  it("consumer health - consume clearly below ingest with lag rising over a full window is WARN falling_behind", () => {
    // ingest 10/s (windowOf's default), floor advances 6/s, lag creeps up by 1/s: too gentle for warnMinGrowth
    const v = verdict(windowOf(10, (i) => ({ lag: 50 + i, ack_floor: 100 + i * 6 })));
    expect(v).toMatchObject({
      status: "WARN",
      rule: "falling_behind",
      evidence: "consume 6.0/s below ingest 10/s over 10 samples; lag 50 → 59",
    });
  });

  it("consumer health - consume below the stream's ingest is not falling behind when the lag touched 0 in the window", () => {
    // a filtered consumer between batches (the demo's consolidation-consumer read WARN at lag 0 → 1): its ack floor
    // sits on its last matching message, so its rate over a window trails the whole stream's by chance
    const caughtUpMeanwhile = windowOf(10, (i) => ({ lag: [0, 2, 0, 1, 0, 3, 0, 1, 0, 1][i]!, ack_floor: 100 + Math.floor(i * 8.5) }));
    expect(consumerRates(caughtUpMeanwhile)!.consume_per_s).toBeLessThan(9);
    expect(verdict(caughtUpMeanwhile)).toMatchObject({ status: "OK" });
    expect(
      diagnose(caughtUpMeanwhile, consumerRates(caughtUpMeanwhile), noDeadLetters(), t, nowOf(caughtUpMeanwhile)).map((x) => x.kind),
    ).not.toContain("slower_than_ingest");
    // the same rates with the lag never at 0: a slow leak
    const leaking = windowOf(10, (i) => ({ lag: 1 + i, ack_floor: 100 + Math.floor(i * 8.5) }));
    expect(verdict(leaking)).toMatchObject({ status: "WARN", rule: "falling_behind" });
  });

  /** A lag that rose to 58 and fell back to just below where the window began. */
  const DIP_LAGS = [50, 52, 54, 56, 58, 57, 55, 53, 51, 49];

  it("consumer health - falling behind stays WARN through a dip while consume stays below ingest, until lag falls by warnMinGrowth", () => {
    // consume 6/s against ingest 10/s; the lag rose to 58 and fell back to just below where the window began
    const dip = windowOf(10, (i) => ({ lag: DIP_LAGS[i]!, ack_floor: 100 + i * 6 }));
    expect(verdict(dip)).toMatchObject({ status: "OK", rule: "lag_shrinking" });
    const prev = { status: "WARN" as const, rule: "falling_behind" as const, evidence: "" };
    expect(evaluateHealth(dip, noDeadLetters(), t, nowOf(dip), prev)).toMatchObject({ status: "WARN", rule: "falling_behind" });
    const lower = windowOf(10, (i) => ({ lag: i === 9 ? 30 : DIP_LAGS[i]!, ack_floor: 100 + i * 6 }));
    expect(evaluateHealth(lower, noDeadLetters(), t, nowOf(lower), prev)).toMatchObject({ status: "OK", rule: "lag_shrinking" });
  });

  it("consumer health - once WARN, consume reaching or passing ingest for a window does not release it; only the lag falling by warnMinGrowth does", () => {
    // the flap CI's screenshot showed: bursty ingest dipped below consume for one window, lag 30 → 29
    const prev = { status: "WARN" as const, rule: "falling_behind" as const, evidence: "" };
    for (const consumePerS of [10, 11]) {
      const level = windowOf(10, (i) => ({ lag: DIP_LAGS[i]!, ack_floor: 100 + i * consumePerS }));
      expect(verdict(level)).toMatchObject({ status: "OK", rule: "lag_shrinking" });
      expect(evaluateHealth(level, noDeadLetters(), t, nowOf(level), prev)).toMatchObject({
        status: "WARN",
        rule: "falling_behind",
        evidence: "still behind: lag 50 → 49 over 10 samples, down by less than 20",
      });
    }
    const draining = windowOf(10, (i) => ({ lag: 50 - i * 3, ack_floor: 100 + i * 13 }));
    expect(evaluateHealth(draining, noDeadLetters(), t, nowOf(draining), prev)).toMatchObject({ status: "OK", rule: "lag_shrinking" });
  });

  it("consumer health - once falling behind, consume within fallingBehindRatio of ingest is still behind until it reaches ingest", () => {
    // consume 9.5/s against ingest 10/s: within 10%, so not falling behind on its own; the lag dips as batches land
    const close = windowOf(10, (i) => ({ lag: DIP_LAGS[i]!, ack_floor: 100 + i * 9.5 }));
    expect(verdict(close)).toMatchObject({ status: "OK", rule: "lag_shrinking" });
    const prev = { status: "WARN" as const, rule: "falling_behind" as const, evidence: "" };
    expect(evaluateHealth(close, noDeadLetters(), t, nowOf(close), prev)).toMatchObject({ status: "WARN", rule: "falling_behind" });
  });

  it("consumer health - consume within the tolerance of ingest, or a window not yet full, is not falling behind", () => {
    expect(verdict(windowOf(10, (i) => ({ lag: 50 + i, ack_floor: 100 + i * 9.5 }))).status).toBe("OK");
    expect(verdict(windowOf(9, (i) => ({ lag: 50 + i, ack_floor: 100 + i * 6 }))).rule).toBe("lag_steady");
  });

  it("consumer health - shrinking lag is OK with rule lag_shrinking", () => {
    expect(verdict(windowOf(10, (i) => ({ lag: 1000 - i * 50 })))).toMatchObject({ status: "OK", rule: "lag_shrinking" });
  });

  it("consumer health - lag above the KEDA-style lagThreshold is WARN even when steady", () => {
    const v = verdict(
      windowOf(10, () => ({ lag: 5000 })),
      noDeadLetters(),
      { ...t, lagThreshold: 1000 },
    );
    expect(v).toMatchObject({ status: "WARN", rule: "above_lag_threshold", evidence: "lag 5,000 above lagThreshold 1,000" });
  });

  it("consumer health - lag exactly at lagThreshold is not above it", () => {
    expect(
      verdict(
        windowOf(10, () => ({ lag: 1000 })),
        noDeadLetters(),
        { ...t, lagThreshold: 1000 },
      ).status,
    ).toBe("OK");
  });

  it("consumer health - per-consumer overrides apply only to that consumer", () => {
    const cfg = { ...DEFAULT_HEALTH_CONFIG, perConsumer: { "s/a": { lagThreshold: 10 } } };
    expect(thresholdsFor(cfg, "s", "a").lagThreshold).toBe(10);
    expect(thresholdsFor(cfg, "s", "b").lagThreshold).toBeNull();
  });

  it("consumer health - ack floor unchanged for the whole window with lag is STALL, with the evidence", () => {
    const v = verdict(windowOf(10, () => ({ lag: 27_412, ack_floor: 500 })));
    expect(v).toMatchObject({ status: "STALL", rule: "ack_floor_stuck" });
    expect(v.evidence).toBe("ack floor unchanged at 500 for 10 samples (9.0s), lag 27,412 msgs");
  });

  it("consumer health - one floor movement inside the window is not STALL", () => {
    expect(verdict(windowOf(10, (i) => ({ lag: 50, ack_floor: i < 9 ? 500 : 501 }))).status).not.toBe("STALL");
  });

  it("consumer health - no activity beyond stopAfterMs with lag is STOP", () => {
    const w = windowOf(10, () => ({ lag: 300, ack_floor: 500, last_active: T0 - 120_000 }));
    const v = verdict(w);
    expect(v.status).toBe("STOP");
    expect(v.evidence).toBe("no delivery or ack since 2026-11-23 11:58:00 UTC, lag 300 msgs");
    // the same text a sample later: the row is not resent just because the idle time grew
    expect(evaluateHealth(w, noDeadLetters(), t, T0 + 10_000).evidence).toBe(v.evidence);
  });

  it("consumer health - inactivity just under stopAfterMs is STALL, not STOP", () => {
    const w = windowOf(10, () => ({ lag: 300, ack_floor: 500, last_active: T0 + 9000 - 59_000 }));
    expect(verdict(w).status).toBe("STALL");
  });

  it("consumer health - a consumer never active since creation long ago is STOP", () => {
    const v = verdict(windowOf(10, () => ({ lag: 40, ack_floor: 0, last_active: null })));
    expect(v).toMatchObject({ status: "STOP", rule: "no_activity" });
    expect(v.evidence).toMatch(/^never active/);
  });

  it("consumer health - ack floor moving backwards is REWIND and beats every other rule", () => {
    const w = windowOf(10, (i) => ({ lag: 100, ack_floor: i < 6 ? 900 : 10 }));
    const v = verdict(w, { max_deliveries: 3, naked: 0, terminated: 0 });
    expect(v).toMatchObject({ status: "REWIND", rule: "rewind", evidence: "ack floor moved back from 900 to 10" });
  });

  it("consumer health - a recreated consumer (new created time) is REWIND even if the floor did not drop", () => {
    const w = windowOf(10, (i) => ({ lag: 0, created: i < 5 ? T0 - 1000 : T0 + 5000 }));
    expect(verdict(w).status).toBe("REWIND");
  });

  it("consumer health - REWIND needs two samples: a single sample never rewinds", () => {
    expect(verdict(windowOf(1, () => ({ ack_floor: 0, lag: 3 }))).status).toBe("OK");
  });

  it("consumer health - max-deliver advisories are ERR, counted in words, even on a short window", () => {
    const v = verdict(
      windowOf(2, () => ({ lag: 3 })),
      { max_deliveries: 37, naked: 0, terminated: 0 },
    );
    expect(v).toMatchObject({ status: "ERR", rule: "max_deliveries", evidence: "37 messages hit max deliver in the last 10m 00s" });
  });

  it("consumer health - NAKs alone (no max deliver) are not ERR", () => {
    expect(
      verdict(
        windowOf(10, (i) => ({ lag: 10, ack_floor: 100 + i })),
        { max_deliveries: 0, naked: 50, terminated: 0 },
      ).status,
    ).toBe("OK");
  });

  it("consumer health - a sustained redelivery storm over a full window is ERR", () => {
    const v = verdict(windowOf(10, (i) => ({ lag: 60, redelivered: 30 + i })));
    expect(v).toMatchObject({ status: "ERR", rule: "redelivery_storm", evidence: "at least 30 redelivered in each of 10 samples" });
  });

  it("consumer health - a redelivery burst in part of the window is not a storm", () => {
    expect(verdict(windowOf(10, (i) => ({ lag: 60, redelivered: i === 0 ? 0 : 40 }))).rule).not.toBe("redelivery_storm");
  });

  it("consumer health - only the last windowSize samples count", () => {
    const old = windowOf(20, (i) => ({ lag: 100, ack_floor: i < 10 ? 900 : 50 }));
    // the rewind happened 10 samples ago: out of the window of 10
    expect(verdict(old).status).toBe("STALL");
  });
});

describe("consumer rates and drain time", () => {
  it("consumer rates - ack floor advance and stream growth per second over the window", () => {
    const w = windowOf(5, (i) => ({ ack_floor: 100 + i * 6, stream_last_seq: 200 + i * 10 }));
    expect(consumerRates(w)).toEqual({ consume_per_s: 6, ingest_per_s: 10 });
  });

  it("consumer rates - none from one sample, a zero interval or across a rewind", () => {
    expect(consumerRates(windowOf(1, () => ({})))).toBeNull();
    expect(consumerRates(windowOf(2, () => ({ at: T0 })))).toBeNull();
    expect(consumerRates(windowOf(3, (i) => ({ ack_floor: 100 - i })))).toBeNull();
  });

  it("drain time - distance over net rate when consume outpaces ingest", () => {
    expect(drainTime(500, 600, { consume_per_s: 30, ingest_per_s: 10 })).toEqual({ state: "draining", seconds: 30 });
  });

  it("drain time - keeping up when consume is within 5% of ingest: in-flight lag is not a backlog", () => {
    expect(drainTime(6, 6, { consume_per_s: 10, ingest_per_s: 10 }).state).toBe("keeping_up");
    expect(drainTime(6, 6, { consume_per_s: 9.6, ingest_per_s: 10 }).state).toBe("keeping_up");
    expect(formatDrain({ state: "keeping_up", seconds: null })).toBe("keeping up");
  });

  it("drain time - never when ingest clearly outpaces consume, or nothing is consumed", () => {
    expect(drainTime(500, 500, { consume_per_s: 9.4, ingest_per_s: 10 }).state).toBe("never");
    expect(drainTime(500, 500, { consume_per_s: 6, ingest_per_s: 10 }).state).toBe("never");
    expect(drainTime(500, 500, { consume_per_s: 0, ingest_per_s: 0 }).state).toBe("never");
  });

  it("drain time - drained at zero lag, unknown without rates", () => {
    expect(drainTime(0, 0, null)).toEqual({ state: "drained", seconds: 0 });
    expect(drainTime(5, 5, null)).toEqual({ state: "unknown", seconds: null });
  });

  it("drain time - formats as duration, never, caught up", () => {
    expect(formatDrain({ state: "draining", seconds: 90 })).toBe("1m 30s");
    expect(formatDrain({ state: "never", seconds: null })).toBe("never");
    expect(formatDrain({ state: "drained", seconds: 0 })).toBe("caught up");
  });

  it("lag slope - least squares over irregular samples", () => {
    expect(lagSlope(windowOf(5, (i) => ({ lag: 10 + 4 * i })))).toBeCloseTo(4);
    expect(lagSlope(windowOf(1, () => ({ lag: 10 })))).toBe(0);
  });
});

describe("consumer diagnoses", () => {
  const kinds = (w: ConsumerSample[], dl = noDeadLetters()) => diagnose(w, consumerRates(w), dl, t, nowOf(w)).map((d) => d.kind);

  it("diagnosis - ack pending pinned at max_ack_pending for pinnedSamples samples", () => {
    expect(kinds(windowOf(10, (i) => ({ lag: 2000, ack_pending: 1000, ack_floor: 100 + i })))).toContain("ack_pending_pinned");
    expect(kinds(windowOf(10, (i) => ({ lag: 2000, ack_pending: i === 9 ? 999 : 1000, ack_floor: 100 + i })))).not.toContain(
      "ack_pending_pinned",
    );
  });

  it("diagnosis - sustained redeliveries are a NAK loop; one sample without is not", () => {
    expect(kinds(windowOf(10, () => ({ lag: 5, redelivered: 2 })))).toContain("nak_loop");
    expect(kinds(windowOf(10, (i) => ({ lag: 5, redelivered: i === 4 ? 0 : 2 })))).not.toContain("nak_loop");
  });

  it("diagnosis - active but ack floor stuck", () => {
    expect(kinds(windowOf(10, () => ({ lag: 40, ack_floor: 77 })))).toContain("active_but_stuck");
  });

  it("diagnosis - idle while the stream grows", () => {
    const w = windowOf(10, () => ({ lag: 40, ack_floor: 77, delivered: 77, last_active: T0 - 600_000 }));
    expect(kinds(w)).toContain("idle_while_stream_grows");
    expect(kinds(w)).not.toContain("active_but_stuck");
  });

  it("diagnosis - slower than ingest names both rates and the remedy", () => {
    const w = windowOf(10, (i) => ({ lag: 100 + i * 4, ack_floor: 100 + i * 6 }));
    const d = diagnose(w, consumerRates(w), noDeadLetters(), t, nowOf(w)).find((x) => x.kind === "slower_than_ingest");
    expect(d?.text).toBe("consume 6.0/s vs ingest 10/s: add consumers or speed up the handler");
    const close = windowOf(10, (i) => ({ lag: 100 + i, ack_floor: 100 + i * 9.5 }));
    expect(diagnose(close, consumerRates(close), noDeadLetters(), t, nowOf(close)).map((x) => x.kind)).not.toContain("slower_than_ingest");
  });

  // The detail page's cards read "Ack pending" (sub "max N"), "Redelivered", "Lag (msgs)" (sub "… unacked" for
  // ack pending) and "Consume / ingest": a bullet names each number with its card's word.
  it("diagnosis - every number is named as the metric cards name it", () => {
    const text = (w: ConsumerSample[]) =>
      Object.fromEntries(diagnose(w, consumerRates(w), noDeadLetters(), t, nowOf(w)).map((d) => [d.kind, d.text]));
    const redelivering = text(windowOf(10, () => ({ lag: 80, ack_pending: 11, redelivered: 69, ack_floor: 77 })));
    expect(redelivering.nak_loop).toContain("(now 69 redelivered)");
    expect(redelivering.nak_loop).not.toMatch(/\bunacked\b/);
    expect(redelivering.active_but_stuck).toMatch(/^active just now but the ack floor has not moved from 77 in 9\.0s \(lag 80 msgs\):/);
    const pinned = text(windowOf(10, (i) => ({ lag: 2000, ack_pending: 1000, ack_floor: 100 + i })));
    expect(pinned.ack_pending_pinned).toMatch(/^ack pending 1,000 at its max \(1,000\) for 3 samples:/);
    const slow = text(windowOf(10, (i) => ({ lag: 100 + i * 4, ack_floor: 100 + i * 6 })));
    expect(slow.slower_than_ingest).toMatch(/^consume 6\.0\/s vs ingest 10\/s:/);
  });

  it("diagnosis - dead letters from advisories; a healthy consumer has no diagnosis", () => {
    expect(
      kinds(
        windowOf(10, () => ({ lag: 0 })),
        { max_deliveries: 2, naked: 0, terminated: 1 },
      ),
    ).toEqual(["dead_letters"]);
    expect(kinds(windowOf(10, () => ({ lag: 0 })))).toEqual([]);
  });
});

describe("consumer health - newest", () => {
  it("returns the array itself when it holds no more than n items, so a full window costs no copy", () => {
    const xs = [1, 2, 3];
    expect(newest(xs, 3)).toBe(xs);
    expect(newest(xs, 10)).toBe(xs);
  });
  it("returns the last n items, oldest first, when there are more", () => {
    expect(newest([1, 2, 3, 4, 5], 2)).toEqual([4, 5]);
  });
});

describe("drain alarm", () => {
  it("drain alarm - a never drain is red only on a consumer that is not OK", () => {
    expect(drainIsAlarming({ drain: { state: "never" }, health: { status: "OK" } })).toBe(false);
    expect(drainIsAlarming({ drain: { state: "never" }, health: { status: "WARN" } })).toBe(true);
    expect(drainIsAlarming({ drain: { state: "draining" }, health: { status: "ERR" } })).toBe(false);
    expect(drainIsAlarming(null)).toBe(false);
  });
});
