import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { forecastLoss, interpolatePublishMs, lossBrief, lossBriefText, NO_LOSS, type LossInputs } from "./loss-forecast";

const NOW = Date.parse("2026-12-07T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

/** A stream holding #1001…#2000 (1,000 messages of 100 bytes, one a second up to now) and a consumer whose ack floor is #1499. */
function inputs(
  over: {
    config?: Partial<LossInputs["stream"]["config"]>;
    state?: Partial<LossInputs["stream"]["state"]>;
    rate?: Partial<LossInputs["rate"]>;
    consumer?: Partial<LossInputs["consumer"]>;
  } = {},
): LossInputs {
  return {
    stream: {
      config: { max_age_ms: 0, max_bytes: -1, max_msgs: -1, max_msgs_per_subject: -1, discard: "old", ...over.config },
      state: {
        first_seq: 1001,
        last_seq: 2000,
        messages: 1000,
        bytes: 100_000,
        first_ts: iso(NOW - 999_000),
        last_ts: iso(NOW),
        num_subjects: 10,
        ...over.state,
      },
    },
    rate: { msgs_per_s: 10, bytes_per_s: 0, ...over.rate },
    consumer: { ack_floor_seq: 1499, lag_msgs: 501, filtered: false, oldest_unprocessed_ms: null, ...over.consumer },
    now: NOW,
  };
}

describe("loss forecast", () => {
  it("loss forecast - a stream without limits forecasts nothing", () => {
    expect(forecastLoss(inputs())).toEqual(NO_LOSS);
  });

  it("loss forecast - a caught-up consumer on a discard-old stream loses nothing", () => {
    const f = forecastLoss(inputs({ config: { max_msgs: 1000 }, consumer: { ack_floor_seq: 2000, lag_msgs: 0 } }));
    expect(f.kind).toBe("none");
  });

  it("loss forecast - max_age evicts the oldest unprocessed message at its publish time plus max_age", () => {
    const published = NOW - 60_000;
    const f = forecastLoss(inputs({ config: { max_age_ms: 3_600_000 }, consumer: { oldest_unprocessed_ms: published } }));
    // exact: the publish time is known, and the consumer takes every subject
    expect(f).toMatchObject({ kind: "evicts_in", limit: "max_age", ms: 3_540_000, exact: true });
    expect(f.evidence).toContain("oldest unprocessed message #1,500 is evicted in 59m 00s");
  });

  it("loss forecast - max_age without a known publish time interpolates it by sequence", () => {
    // #1500 sits 499 of 999 steps into a 999 s span: published 499 s after the first message
    expect(interpolatePublishMs(inputs().stream.state, 1500)).toBe(NOW - 999_000 + 499_000);
    const f = forecastLoss(inputs({ config: { max_age_ms: 1_000_000 } }));
    expect(f).toMatchObject({ kind: "evicts_in", limit: "max_age", ms: 1_000_000 - 500_000, exact: false });
    expect(f.evidence).toContain("(interpolated)");
  });

  it("loss forecast - max_msgs evicts it once the messages stored from it on reach the limit", () => {
    // 501 stored from #1500 on; at 1,000 the next publish evicts it: 500 publishes at 10/s
    const f = forecastLoss(inputs({ config: { max_msgs: 1000 } }));
    expect(f).toMatchObject({ kind: "evicts_in", limit: "max_msgs", ms: 50_000 });
  });

  it("loss forecast - max_bytes uses the message rate times the average size when net bytes/s is zero", () => {
    // 501 × 100 B stored from #1500 on, 100 kB limit, 10 msgs/s × 100 B = 1 kB/s
    const f = forecastLoss(inputs({ config: { max_bytes: 100_000 }, rate: { bytes_per_s: 0 } }));
    expect(f).toMatchObject({ kind: "evicts_in", limit: "max_bytes", ms: 49_900 });
  });

  it("loss forecast - max_msgs_per_subject assumes publishes spread evenly over the subjects", () => {
    // 10 subjects × 60 = 600 publishes after #1500 evict it; 500 have happened: 100 more at 10/s
    const f = forecastLoss(inputs({ config: { max_msgs_per_subject: 60 } }));
    expect(f).toMatchObject({ kind: "evicts_in", limit: "max_msgs_per_subject", ms: 10_000, exact: false });
    expect(f.evidence).toContain("evenly");
  });

  it("loss forecast - the earliest binding limit wins", () => {
    const f = forecastLoss(
      inputs({ config: { max_msgs: 1000, max_bytes: 100_000, max_age_ms: 3_600_000 }, consumer: { oldest_unprocessed_ms: NOW - 60_000 } }),
    );
    expect(f).toMatchObject({ limit: "max_bytes", ms: 49_900 });
    const byAge = forecastLoss(
      inputs({ config: { max_msgs: 1000, max_age_ms: 3_600_000 }, consumer: { oldest_unprocessed_ms: NOW - 3_590_000 } }),
    );
    expect(byAge).toMatchObject({ limit: "max_age", ms: 10_000 });
  });

  it("loss forecast - at rate 0 size limits say nothing, while max_age still does", () => {
    expect(forecastLoss(inputs({ config: { max_msgs: 1000, max_bytes: 100_000 }, rate: { msgs_per_s: 0 } })).kind).toBe("none");
    expect(forecastLoss(inputs({ config: { max_msgs: 1000 }, rate: { msgs_per_s: null } })).kind).toBe("none");
    const aged = forecastLoss(inputs({ config: { max_msgs: 1000, max_age_ms: 2_000_000 }, rate: { msgs_per_s: 0 } }));
    expect(aged).toMatchObject({ kind: "evicts_in", limit: "max_age" });
  });

  it("loss forecast - an ack floor the stream's first sequence has passed is already evicted, with the exact count", () => {
    const f = forecastLoss(inputs({ config: { max_age_ms: 60_000 }, consumer: { ack_floor_seq: 588, lag_msgs: 1000 } }));
    expect(f).toMatchObject({ kind: "already_evicted", evicted: 412, exact: true });
    expect(f.evidence).toContain("412 messages were already evicted before this consumer processed them");
    // a consumer that never fetched has nothing pending once all is gone: still a loss
    const none = forecastLoss(inputs({ config: { max_msgs: 1000 }, consumer: { ack_floor_seq: 0, lag_msgs: 0 } }));
    expect(none).toMatchObject({ kind: "already_evicted", evicted: 1000 });
  });

  it("loss forecast - a filtered consumer's count is an upper bound, and with nothing pending it is not judged", () => {
    const f = forecastLoss(inputs({ config: { max_msgs: 1000 }, consumer: { ack_floor_seq: 588, filtered: true } }));
    expect(f).toMatchObject({ kind: "already_evicted", evicted: 412, exact: false });
    expect(f.evidence).toContain("up to 412");
    expect(forecastLoss(inputs({ config: { max_msgs: 1000 }, consumer: { ack_floor_seq: 588, filtered: true, lag_msgs: 0 } })).kind).toBe(
      "none",
    );
  });

  it("loss forecast - on a work-queue or interest stream a filtered consumer's passed ack floor is other consumers' acks, not loss", () => {
    for (const retention of ["workqueue", "interest"])
      expect(
        forecastLoss(inputs({ config: { max_msgs: 1000, retention }, consumer: { ack_floor_seq: 588, filtered: true } })).kind,
      ).not.toBe("already_evicted");
    // unfiltered, the messages needed its own ack to go: a passed ack floor is still loss
    expect(forecastLoss(inputs({ config: { max_msgs: 1000, retention: "interest" }, consumer: { ack_floor_seq: 588 } })).kind).toBe(
      "already_evicted",
    );
  });

  it("loss forecast - a discard-new stream rejects publishes when a size limit fills, also for a caught-up consumer", () => {
    const caughtUp = { ack_floor_seq: 2000, lag_msgs: 0 };
    const f = forecastLoss(inputs({ config: { max_msgs: 1500, discard: "new" }, consumer: caughtUp }));
    expect(f).toMatchObject({ kind: "rejects_in", limit: "max_msgs", ms: 50_000 });
    expect(f.evidence).toContain("publishes are rejected in 50s");
    const full = forecastLoss(inputs({ config: { max_bytes: 100_000, discard: "new" }, rate: { msgs_per_s: 0 }, consumer: caughtUp }));
    expect(full).toMatchObject({ kind: "rejects_in", limit: "max_bytes", ms: 0 });
    // discard new never evicts by size: no evicts_in from max_msgs for a lagging consumer
    expect(forecastLoss(inputs({ config: { max_msgs: 1500, discard: "new" } })).kind).toBe("rejects_in");
  });

  it("loss forecast - max_age still evicts on a discard-new stream, and the sooner event wins", () => {
    const f = forecastLoss(
      inputs({ config: { max_msgs: 1500, max_age_ms: 3_600_000, discard: "new" }, consumer: { oldest_unprocessed_ms: NOW - 3_595_000 } }),
    );
    expect(f).toMatchObject({ kind: "evicts_in", limit: "max_age", ms: 5_000 });
  });

  it("loss forecast - never negative, and an already-evicted count is first_seq − ack floor − 1 (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 0, max: 2e6 }),
        fc.integer({ min: 0, max: 1e4 }),
        fc.constantFrom("old", "new"),
        (first, held, floor, rate, discard) => {
          const last = first + held - 1;
          const f = forecastLoss(
            inputs({
              config: { max_msgs: 1000, max_bytes: 50_000, max_age_ms: 60_000, max_msgs_per_subject: 10, discard },
              state: { first_seq: first, last_seq: last, messages: held, bytes: held * 100 },
              rate: { msgs_per_s: rate },
              consumer: { ack_floor_seq: Math.min(floor, last), lag_msgs: Math.max(0, last - floor) },
            }),
          );
          if (f.ms !== null) expect(f.ms).toBeGreaterThanOrEqual(0);
          if (f.kind === "already_evicted") expect(f.evicted).toBe(first - Math.min(floor, last) - 1);
          else expect(first - Math.min(floor, last) - 1).toBeLessThanOrEqual(0);
        },
      ),
    );
  });

  it("loss forecast - a table row carries an eviction as its instant and a loss as its count", () => {
    const evicts = forecastLoss(inputs({ config: { max_age_ms: 3_600_000 }, consumer: { oldest_unprocessed_ms: NOW - 60_000 } }));
    const brief = lossBrief(evicts, NOW)!;
    expect(brief).toEqual({ kind: "evicts_in", limit: "max_age", value: NOW + 3_540_000 });
    // the same instant from a later sample: the row does not change while the oldest message stays
    expect(
      lossBrief(
        forecastLoss({
          ...inputs({ config: { max_age_ms: 3_600_000 }, consumer: { oldest_unprocessed_ms: NOW - 60_000 } }),
          now: NOW + 5_000,
        }),
        NOW + 5_000,
      ),
    ).toEqual(brief);
    expect(lossBriefText(brief, false, NOW + 3_000_000)).toBe("evicts in 9m 00s");
    const lost = lossBrief(forecastLoss(inputs({ config: { max_msgs: 1000 }, consumer: { ack_floor_seq: 588 } })), NOW)!;
    expect(lossBriefText(lost, false, NOW)).toBe("412 lost");
    expect(lossBriefText(lost, true, NOW)).toBe("≤ 412 lost");
    expect(lossBrief(NO_LOSS, NOW)).toBeNull();
  });
});
