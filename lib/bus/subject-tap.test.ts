import { describe, expect, it } from "vitest";
import {
  defaultTapPolicy,
  initialTapControl,
  MAX_NARROWED,
  mergeCandidateRates,
  narrowerFilters,
  tapOverBudget,
  tapTick,
  toBusSubjectsSnapshot,
} from "./subject-tap";

const policy = { ...defaultTapPolicy(1_000), backoffMs: 5_000, maxBackoffMs: 20_000, stableMs: 60_000, headroom: 0.5 };
const trip = (at: number, filters: [string, number][]) => ({
  at,
  msgs_per_s: filters.reduce((n, [, r]) => n + r, 0),
  filters: filters.map(([filter, msgs_per_s]) => ({ filter, msgs_per_s })),
});

describe("subject tap - budget", () => {
  it("subject tap - nothing configured is off with the reason; a configured tap starts on", () => {
    expect(initialTapControl([], policy, 0, "BUSDECK_SUBJECT_TAP is not set")).toMatchObject({
      mode: "off",
      active: [],
      reason: "BUSDECK_SUBJECT_TAP is not set",
    });
    expect(initialTapControl([">"], policy, 0, "x")).toMatchObject({ mode: "on", active: [">"], reason: null });
  });

  it("subject tap - one subject over budget pauses the tap, naming the rate seen and the budget, until the back-off", () => {
    const ctl = tapOverBudget(initialTapControl([">"], policy, 0, ""), trip(1_000, [[">", 98_765]]), 1_000, policy);
    expect(ctl).toMatchObject({ mode: "paused", active: [], retry_at: 6_000, backoff_ms: 10_000 });
    expect(ctl.reason).toBe("saw 98,765 msg/s, over the budget of 1,000 msg/s: paused");
    expect(ctl.seen?.msgs_per_s).toBe(98_765);
    expect(tapTick(ctl, 5_999, policy)).toBe(ctl);
    expect(tapTick(ctl, 6_000, policy)).toMatchObject({ mode: "on", active: [">"], reason: null, retry_at: null, backoff_ms: 10_000 });
  });

  it("subject tap - several subjects over budget: the busiest are left out while the quiet ones fit the headroom", () => {
    const start = initialTapControl(["a.>", "b.>", "c.>"], policy, 0, "");
    const ctl = tapOverBudget(
      start,
      trip(1_000, [
        ["a.>", 200],
        ["b.>", 5_000],
        ["c.>", 250],
      ]),
      1_000,
      policy,
    );
    expect(ctl).toMatchObject({ mode: "narrowed", active: ["a.>", "c.>"], configured: ["a.>", "b.>", "c.>"] });
    expect(ctl.reason).toBe("saw 5,450 msg/s, over the budget of 1,000 msg/s: left out b.> (5,000 msg/s)");
    // no subset fits: paused
    const none = tapOverBudget(
      start,
      trip(1_000, [
        ["a.>", 900],
        ["b.>", 5_000],
        ["c.>", 2_000],
      ]),
      1_000,
      policy,
    );
    expect(none).toMatchObject({ mode: "paused", active: [] });
  });

  it("subject tap - a single > narrows to its next level: the quiet prefixes kept, the busiest named with their rates", () => {
    const start = initialTapControl([">"], policy, 0, "");
    const below = [
      ["firehose.>", 9_000],
      ["orders.>", 100],
      ["ping", 5],
      ["noisy.>", 2_000],
      ["loud.>", 3_000],
      ["big.>", 4_000],
    ] as [string, number][];
    const ctl = tapOverBudget(start, trip(1_000, below), 1_000, policy);
    expect(ctl).toMatchObject({ mode: "narrowed", active: ["orders.>", "ping"], configured: [">"] });
    expect(ctl.reason).toBe(
      "saw 18,105 msg/s, over the budget of 1,000 msg/s: left out firehose.> (9,000 msg/s), big.> (4,000 msg/s), loud.> (3,000 msg/s) and 1 more",
    );
    // the retry brings back the configured > itself
    expect(tapTick(ctl, ctl.retry_at!, policy)).toMatchObject({ mode: "on", active: [">"] });
  });

  it("subject tap - a narrowed tap holds at most MAX_NARROWED subscriptions", () => {
    const many = Array.from({ length: MAX_NARROWED + 20 }, (_, i) => [`s${i}.>`, 1] as [string, number]);
    const ctl = tapOverBudget(initialTapControl([">"], policy, 0, ""), trip(0, many), 0, policy);
    expect(ctl.mode).toBe("narrowed");
    expect(ctl.active).toHaveLength(MAX_NARROWED);
  });

  it("subject tap - narrower filters: one level below a trailing >, wildcards kept, subjects that end there exact", () => {
    const counts: [string, number][] = [
      ["orders.eu.created", 3],
      ["orders.us.created", 2],
      ["orders.eu.paid", 1],
      ["orders", 7],
      ["pay.done", 4],
      ["top", 1],
    ];
    expect(narrowerFilters(">", counts)).toEqual([
      { filter: "orders.>", msgs: 6 },
      { filter: "orders", msgs: 7 },
      { filter: "pay.>", msgs: 4 },
      { filter: "top", msgs: 1 },
    ]);
    expect(narrowerFilters("orders.*.>", counts)).toEqual([
      { filter: "orders.*.created", msgs: 5 },
      { filter: "orders.*.paid", msgs: 1 },
    ]);
    expect(
      narrowerFilters("orders.>", [
        ["orders.eu.created", 3],
        ["orders.eu", 1],
      ]),
    ).toEqual([
      { filter: "orders.eu.>", msgs: 3 },
      { filter: "orders.eu", msgs: 1 },
    ]);
    expect(narrowerFilters("orders.*", counts)).toEqual([]);
  });

  it("subject tap - candidates from the interval and the window: each at its higher rate, the quiet ones not sent lately kept", () => {
    const now = [
      { filter: "flood.>", msgs_per_s: 90_000 },
      { filter: "orders.>", msgs_per_s: 20 },
    ];
    const recent = [
      { filter: "flood.>", msgs_per_s: 4_000 },
      { filter: "orders.>", msgs_per_s: 50 },
      { filter: "pay.>", msgs_per_s: 3 },
    ];
    expect(mergeCandidateRates(now, recent)).toEqual([
      { filter: "flood.>", msgs_per_s: 90_000 },
      { filter: "orders.>", msgs_per_s: 50 },
      { filter: "pay.>", msgs_per_s: 3 },
    ]);
    const ctl = tapOverBudget(initialTapControl([">"], policy, 0, ""), trip(0, []), 0, policy);
    expect(ctl.mode).toBe("paused");
  });

  it("subject tap - repeated trips double the back-off up to its limit; a stable minute resets it", () => {
    let ctl = initialTapControl([">"], policy, 0, "");
    const retries: number[] = [];
    let now = 0;
    for (let i = 0; i < 4; i++) {
      ctl = tapOverBudget(ctl, trip(now, [[">", 5_000]]), now, policy);
      retries.push(ctl.retry_at! - now);
      now = ctl.retry_at!;
      ctl = tapTick(ctl, now, policy);
      expect(ctl.mode).toBe("on");
    }
    expect(retries).toEqual([5_000, 10_000, 20_000, 20_000]);
    expect(tapTick(ctl, now + 59_999, policy).backoff_ms).toBe(20_000);
    expect(tapTick(ctl, now + 60_000, policy).backoff_ms).toBe(5_000);
  });

  it("subject tap - an off tap stays off whatever it is told", () => {
    const off = initialTapControl([], policy, 0, "off");
    expect(tapOverBudget(off, trip(0, [[">", 1e6]]), 0, policy)).toBe(off);
    expect(tapTick(off, 1e9, policy)).toBe(off);
  });

  it("subject tap - the snapshot counts every received message, internal and (other) too", () => {
    const snap = toBusSubjectsSnapshot(
      initialTapControl([">"], policy, 0, ""),
      {
        subjects: [{ subject: "a", msgs_per_s: 3, bytes_per_s: 30 }],
        other: { msgs_per_s: 2, bytes_per_s: 20 },
        internal: { msgs_per_s: 5, bytes_per_s: 50 },
        span_ms: 1_000,
      },
      1_000,
      7,
      5_000,
      500,
    );
    expect(snap.tap).toMatchObject({ mode: "on", received_per_s: 10, max_rate: 1_000 });
    expect(snap.sampled_at).toBe(7);
  });
});
