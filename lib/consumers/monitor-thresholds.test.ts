import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  breachedThresholds,
  MONITOR_KEYS,
  monitorMetadataOf,
  parseDurationMs,
  parseMonitorMetadata,
  type MonitoredConsumerState,
} from "./monitor-thresholds";

const NOW = Date.parse("2026-12-07T10:00:00Z");
const calm: MonitoredConsumerState = {
  num_ack_pending: 0,
  num_waiting: 0,
  num_pending: 0,
  num_redelivered: 0,
  last_delivery_ms: NOW - 1_000,
  last_ack_ms: NOW - 1_000,
};

describe("consumer monitor thresholds", () => {
  it("monitor thresholds - no io.nats.monitor keys (a 2.9 server, or none set) means no thresholds", () => {
    expect(parseMonitorMetadata(undefined)).toEqual({ thresholds: null, invalid: [] });
    expect(parseMonitorMetadata({ owner: "billing-team" })).toEqual({ thresholds: null, invalid: [] });
  });

  it("monitor thresholds - counts and durations parse as natscli reads them; ≤ 0 turns a check off", () => {
    const { thresholds, invalid } = parseMonitorMetadata({
      [MONITOR_KEYS.enabled]: "true",
      [MONITOR_KEYS.outstandingAck]: "100",
      [MONITOR_KEYS.unprocessed]: "0",
      [MONITOR_KEYS.redelivery]: "-1",
      [MONITOR_KEYS.lastAck]: "1h30m",
      [MONITOR_KEYS.lastDelivery]: "2d",
    });
    expect(invalid).toEqual([]);
    expect(thresholds).toEqual({
      enabled: true,
      counts: { outstandingAck: 100 },
      agesMs: { lastAck: 5_400_000, lastDelivery: 172_800_000 },
    });
  });

  it("monitor thresholds - a value that does not parse is reported by key, and the others still apply", () => {
    const { thresholds, invalid } = parseMonitorMetadata({
      [MONITOR_KEYS.waiting]: "lots",
      [MONITOR_KEYS.lastAck]: "5 minutes",
      [MONITOR_KEYS.outstandingAck]: "10",
    });
    expect(invalid.map((i) => i.key)).toEqual([MONITOR_KEYS.waiting, MONITOR_KEYS.lastAck]);
    expect(invalid[1]!.reason).toMatch(/duration/);
    expect(thresholds?.counts).toEqual({ outstandingAck: 10 });
  });

  it("monitor thresholds - a breach names the figure, the limit and the key; enabled=false silences them all", () => {
    const { thresholds } = parseMonitorMetadata({ [MONITOR_KEYS.outstandingAck]: "100", [MONITOR_KEYS.lastAck]: "5m" });
    expect(breachedThresholds(thresholds!, calm, NOW)).toEqual([]);
    const stuck = { ...calm, num_ack_pending: 120, last_ack_ms: NOW - 600_000 };
    expect(breachedThresholds(thresholds!, stuck, NOW)).toEqual([
      `ack pending 120 ≥ 100 (${MONITOR_KEYS.outstandingAck})`,
      `last ack 600 s ago (${MONITOR_KEYS.lastAck})`,
    ]);
    expect(breachedThresholds({ ...thresholds!, enabled: false }, stuck, NOW)).toEqual([]);
    expect(breachedThresholds(thresholds!, { ...calm, last_ack_ms: null }, NOW)).toEqual([`no ack yet (${MONITOR_KEYS.lastAck})`]);
  });

  it("monitor thresholds - durations: Go units and fractions; anything else is refused", () => {
    expect(parseDurationMs("90s")).toBe(90_000);
    expect(parseDurationMs("1.5h")).toBe(5_400_000);
    expect(parseDurationMs("250ms")).toBe(250);
    expect(parseDurationMs("1w")).toBe(604_800_000);
    for (const bad of ["", "5", "m5", "5 m", "5x", "-5m", "1h 30m"]) expect(parseDurationMs(bad), bad).toBeNull();
  });

  it("monitor thresholds - the sampler keeps only io.nats.monitor string entries, at most 32 of them", () => {
    const key = fc.oneof(
      fc.string({ maxLength: 20 }).map((s) => `io.nats.monitor.${s}`),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(fc.dictionary(key, fc.oneof(fc.string(), fc.integer()), { maxKeys: 60 }), (metadata) => {
        const kept = monitorMetadataOf(metadata);
        const wanted = Object.entries(metadata).filter(([k, v]) => k.startsWith("io.nats.monitor.") && typeof v === "string");
        expect(kept === null).toBe(wanted.length === 0);
        expect(Object.keys(kept ?? {}).length).toBe(Math.min(32, wanted.length));
        for (const [k, v] of Object.entries(kept ?? {})) expect(metadata[k]).toBe(v);
      }),
    );
  });

  it("monitor thresholds - any metadata parses without throwing, and every io.nats.monitor key is either applied or reported", () => {
    const key = fc.oneof(fc.constantFrom(...Object.values(MONITOR_KEYS)), fc.string({ maxLength: 40 }));
    const value = fc.oneof(fc.string({ maxLength: 200 }), fc.integer().map(String), fc.constantFrom("5m", "1h30m", "true", "0", "-3"));
    fc.assert(
      fc.property(fc.dictionary(key, value), (metadata) => {
        const { thresholds, invalid } = parseMonitorMetadata(metadata);
        const monitorKeys = Object.keys(metadata).filter((k) => (Object.values(MONITOR_KEYS) as string[]).includes(k));
        expect(thresholds === null).toBe(monitorKeys.length === 0);
        for (const i of invalid) expect(monitorKeys).toContain(i.key);
        for (const ms of Object.values(thresholds?.agesMs ?? {})) expect(ms).toBeGreaterThan(0);
      }),
    );
  });
});
