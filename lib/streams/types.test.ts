import { describe, expect, it } from "vitest";
import { streamSummary } from "../../testing/fixtures/stream";
import { fillLevels, limitWarning, replicaHealth, streamRates, UNBOUNDED_WINDOW_MS } from "./types";

const HOUR = 3_600_000;
const NOW = Date.parse("2026-11-23T12:00:00Z");

/** A stream named A (subjects a.>) with the limits, state and rates a test sets. */
const stream = (over: Parameters<typeof streamSummary>[1] = {}) => streamSummary("A", over);

describe("streams", () => {
  it("streams - rates come from sequence and byte deltas over the sample interval", () => {
    const prev = { sampled_at: "2026-11-23T12:00:00Z", state: stream({ state: { last_seq: 100, bytes: 1000 } }).state };
    const next = { sampled_at: "2026-11-23T12:00:02Z", state: stream({ state: { last_seq: 120, bytes: 1500 } }).state };
    expect(streamRates(prev, next)).toEqual({ msgs_per_s: 10, bytes_per_s: 250 });
  });

  it("streams - unset limits have no fill level", () => {
    expect(fillLevels(stream(), NOW)).toEqual([]);
  });

  it("streams - bytes fill level is used over max with an ETA from msgs/s times average size", () => {
    // 800 of 1000 bytes in 80 messages (10 B each), 2 msg/s → 20 B/s → 200 B left = 10 s.
    const [bytes] = fillLevels(
      stream({
        config: { max_bytes: 1000, max_age_ms: HOUR },
        state: { messages: 80, bytes: 800 },
        rates: { msgs_per_s: 2, bytes_per_s: 0 },
      }),
      NOW,
    );
    expect(bytes).toMatchObject({ limit: "bytes", used: 800, max: 1000, ratio: 0.8, eta_ms: 10_000, status: "filling" });
  });

  it("streams - a limit further away than the retention window is ok", () => {
    // 100 msgs left at 1 msg/min = 6000 s = 100 min, retention window 1 h.
    const [msgs] = fillLevels(
      stream({
        config: { max_msgs: 200, max_age_ms: HOUR },
        state: { messages: 100, bytes: 100 },
        rates: { msgs_per_s: 1 / 60, bytes_per_s: 0 },
      }),
      NOW,
    );
    expect(msgs!.status).toBe("ok");
    expect(msgs!.eta_ms).toBeCloseTo(6_000_000, -3);
  });

  it("streams - without max_age the warning horizon is a day", () => {
    const filling = fillLevels(
      stream({
        config: { max_msgs: 1_000_000 },
        state: { messages: 0 },
        rates: { msgs_per_s: 1_000_000 / (UNBOUNDED_WINDOW_MS / 1000) - 1, bytes_per_s: 0 },
      }),
      NOW,
    );
    expect(filling[0]!.status).toBe("ok");
    const faster = fillLevels(
      stream({ config: { max_msgs: 1_000_000 }, state: { messages: 0 }, rates: { msgs_per_s: 20, bytes_per_s: 0 } }),
      NOW,
    );
    expect(faster[0]!.status).toBe("filling");
  });

  it("streams - at the limit is full with a zero ETA, and no rate means no ETA", () => {
    const [full] = fillLevels(stream({ config: { max_bytes: 1000 }, state: { messages: 10, bytes: 999 } }), NOW);
    expect(full).toMatchObject({ status: "full", eta_ms: 0 });
    const [idle] = fillLevels(stream({ config: { max_bytes: 1000 }, state: { messages: 10, bytes: 100 } }), NOW);
    expect(idle).toMatchObject({ status: "ok", eta_ms: null });
  });

  it("streams - age level is the oldest message's age against max_age and never warns", () => {
    const levels = fillLevels(stream({ config: { max_age_ms: 2 * HOUR }, state: { messages: 5, first_ts: "2026-11-23T11:00:00Z" } }), NOW);
    expect(levels).toEqual([{ limit: "age", used: HOUR, max: 2 * HOUR, ratio: 0.5, eta_ms: null, status: "ok" }]);
  });

  it("streams - limitWarning picks the most urgent size limit", () => {
    const levels = fillLevels(
      stream({
        config: { max_bytes: 1000, max_msgs: 100, max_age_ms: HOUR },
        state: { messages: 50, bytes: 900 },
        rates: { msgs_per_s: 1, bytes_per_s: 0 },
      }),
      NOW,
    );
    // bytes: 100 B left at 18 B/s ≈ 5.6 s; msgs: 50 left at 1/s = 50 s.
    expect(limitWarning(levels)?.limit).toBe("bytes");
    expect(limitWarning(fillLevels(stream({ config: { max_bytes: 1000 } }), NOW))).toBeNull();
  });

  it("streams - replica health: not clustered, healthy, behind, offline, leaderless", () => {
    expect(replicaHealth(null, 1)).toBeNull();
    const replica = (name: string, over = {}) => ({ name, current: true, offline: false, lag: 0, active_ms: 10, ...over });
    expect(replicaHealth({ name: "c", leader: "n1", replicas: [replica("n2"), replica("n3")] }, 3)).toMatchObject({
      tone: "ok",
      label: "R3 current",
    });
    expect(
      replicaHealth({ name: "c", leader: "n1", replicas: [replica("n2", { current: false, lag: 12 }), replica("n3")] }, 3),
    ).toMatchObject({ tone: "warn", label: "1 behind" });
    expect(
      replicaHealth({ name: "c", leader: "n1", replicas: [replica("n2", { offline: true }), replica("n3", { lag: 3 })] }, 3),
    ).toMatchObject({ tone: "bad", label: "1 offline" });
    expect(replicaHealth({ name: "c", leader: null, replicas: [] }, 3)).toMatchObject({ tone: "bad", label: "no leader" });
  });

  it("streams - an explicit steadier rate overrides the last sample's", () => {
    const s = stream({
      config: { max_msgs: 100, max_age_ms: HOUR },
      state: { messages: 50, bytes: 50 },
      rates: { msgs_per_s: 50, bytes_per_s: 0 },
    });
    expect(fillLevels(s, NOW)[0]!.eta_ms).toBe(1_000);
    expect(fillLevels(s, NOW, { msgs_per_s: 0.001, bytes_per_s: 0 })[0]).toMatchObject({ eta_ms: 50_000_000, status: "ok" });
  });
});
