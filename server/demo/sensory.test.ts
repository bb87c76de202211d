import { describe, expect, it } from "vitest";
import { Rng } from "./random";
import { ERROR_RATES, ErrorWaves, HANDLER_IDS, SENSORY_PREFIX, buildSensoryEvent } from "./sensory";

const now = new Date("2026-11-23T12:00:00.000Z");

describe("sensory events", () => {
  it("publish on the seed's subjects with one valid trailing token", () => {
    const rng = new Rng(1);
    for (const h of HANDLER_IDS) {
      for (let i = 0; i < 50; i++) {
        const ev = buildSensoryEvent(h, rng, now, false);
        expect(ev.subject.startsWith(`${SENSORY_PREFIX[h]}.`)).toBe(true);
        const token = ev.subject.slice(SENSORY_PREFIX[h].length + 1);
        expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(JSON.parse(JSON.stringify(ev.payload))).toEqual(ev.payload);
      }
    }
  });

  it("carries the event id and realistic fields", () => {
    const rng = new Rng(2);
    const bgp = buildSensoryEvent("bgp_drop", rng, now, false);
    expect(bgp.payload).toMatchObject({
      event_id: bgp.id,
      peer: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
      previous_state: "established",
    });
    expect(buildSensoryEvent("bgp_drop", rng, now, true).payload).not.toHaveProperty("peer");
    const meraki = buildSensoryEvent("security_webhook", rng, now, false);
    expect(meraki.payload).toMatchObject({ networkId: expect.stringMatching(/^[NL]_\d+$/), alertType: expect.any(String) });
    expect(buildSensoryEvent("security_webhook", rng, now, true).payload.alertData).toBeNull();
    const severities = new Set(Array.from({ length: 300 }, () => buildSensoryEvent("security_webhook", rng, now, false).payload.severity));
    expect(severities).toEqual(new Set(["informational", "warning", "high", "critical", "notice", undefined]));
  });
});

describe("ErrorWaves", () => {
  it("raises one handler's error rates only while its wave lasts", () => {
    const waves = new ErrorWaves(new Rng(3));
    expect(waves.defectP("bgp_drop", 0)).toBe(ERROR_RATES.defect);
    waves.begin("bgp_drop", 30_000, 1_000);
    expect(waves.defectP("bgp_drop", 2_000)).toBe(ERROR_RATES.waveDefect);
    expect(waves.transientP("bgp_drop", 2_000)).toBe(ERROR_RATES.waveTransient);
    expect(waves.defectP("link_down", 2_000)).toBe(ERROR_RATES.defect);
    expect(waves.defectP("bgp_drop", 31_000)).toBe(ERROR_RATES.defect);
  });
});
