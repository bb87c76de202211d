import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseEnvelope, parseGoDuration, parseReply, REPLY_KINDS } from "./replies";

const server = { name: "n1", id: "NID1", cluster: "c", ver: "2.9.10" };
const varz = {
  server_id: "NID1",
  server_name: "n1",
  version: "2.9.10",
  connections: 3,
  subscriptions: 40,
  slow_consumers: 0,
  in_msgs: 10,
  out_msgs: 12,
  in_bytes: 1000,
  out_bytes: 1200,
  unknown_field: { deep: true },
};

describe("bus replies", () => {
  it("bus replies - a system-account VARZ envelope parses to its server and data, unknown fields dropped", () => {
    const parsed = parseEnvelope("VARZ", { server, data: varz });
    expect(parsed).toMatchObject({ server: { name: "n1", id: "NID1" }, ok: true, data: { connections: 3, version: "2.9.10" } });
    expect(parsed?.ok && "unknown_field" in parsed.data).toBe(false);
  });

  it("bus replies - a server's error reply and a reply missing a required field are errors naming what failed", () => {
    expect(parseEnvelope("JSZ", { server, error: { code: 503, description: "jetstream not enabled" } })).toMatchObject({
      ok: false,
      error: "jetstream not enabled",
    });
    const bad = parseEnvelope("VARZ", { server, data: { ...varz, connections: "many" } });
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/^varz: connections: /) });
  });

  it("bus replies - a reply that does not even name its server is dropped", () => {
    expect(parseEnvelope("VARZ", { data: varz })).toBeNull();
    expect(parseEnvelope("HEALTHZ", "garbage")).toBeNull();
  });

  it("bus replies - HTTP monitoring answers are the bare data", () => {
    expect(parseReply("HEALTHZ", { status: "ok" })).toEqual({ ok: true, data: { status: "ok" } });
    expect(parseReply("ROUTEZ", { num_routes: 0, routes: null })).toMatchObject({ ok: true });
    expect(parseReply("HEALTHZ", [])).toMatchObject({ ok: false });
  });

  it("bus replies - Go durations as nats-server prints them, in ms; anything else null", () => {
    expect(parseGoDuration("0s")).toBe(0);
    expect(parseGoDuration("1.5ms")).toBe(1.5);
    expect(parseGoDuration("250µs")).toBeCloseTo(0.25);
    expect(parseGoDuration("2m3.5s")).toBe(123_500);
    expect(parseGoDuration("1h0m0s")).toBe(3_600_000);
    for (const bad of [undefined, "", "fast", "5", "5ms!", "ms", "1.5.5s"]) expect(parseGoDuration(bad)).toBeNull();
  });

  it("bus replies - properties: no input makes a parser throw", () => {
    fc.assert(
      fc.property(fc.constantFrom(...REPLY_KINDS), fc.jsonValue(), fc.string(), (kind, json, text) => {
        parseEnvelope(kind, json);
        parseEnvelope(kind, { server, data: json });
        parseReply(kind, json);
        const ms = parseGoDuration(text);
        expect(ms === null || (Number.isFinite(ms) && ms >= 0)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
