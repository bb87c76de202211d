import { describe, expect, it } from "vitest";
import { parseConfig, readOnlyFrom } from "./config";

describe("config", () => {
  it("config - no NATS_URL means embedded mode with the demo on", () => {
    const c = parseConfig({});
    expect(c.embedded).toBe(true);
    expect(c.demo.enabled).toBe(true);
    expect(c.sampler.intervalMs).toBe(1000);
    expect(parseConfig({ NATS_URL: "" }).embedded).toBe(true);
  });

  it("config - an external cluster runs no demo unless asked", () => {
    const c = parseConfig({ NATS_URL: "nats://a:4222, nats://b:4222" });
    expect(c.nats.servers).toEqual(["nats://a:4222", "nats://b:4222"]);
    expect(c.embedded).toBe(false);
    expect(c.demo.enabled).toBe(false);
    expect(parseConfig({ NATS_URL: "ws://a:8080", BUSDECK_DEMO: "1" }).demo.enabled).toBe(true);
  });

  it("config - busdeck's own storage replicas default to auto and take a count", () => {
    expect(parseConfig({}).storageReplicas).toBe("auto");
    expect(parseConfig({ BUSDECK_STORAGE_REPLICAS: "3" }).storageReplicas).toBe(3);
    expect(() => parseConfig({ BUSDECK_STORAGE_REPLICAS: "many" })).toThrow(/BUSDECK_STORAGE_REPLICAS/);
    expect(() => parseConfig({ BUSDECK_STORAGE_REPLICAS: "7" })).toThrow(/BUSDECK_STORAGE_REPLICAS/);
  });

  it("config - alert targets are http(s) URLs, off when unset, and a bad one names its variable", () => {
    expect(parseConfig({}).alerts).toMatchObject({ alertmanagerUrl: null, webhookUrl: null, slackUrl: null, publicUrl: null });
    const c = parseConfig({ BUSDECK_ALERTMANAGER_URL: "http://am:9093/", BUSDECK_PUBLIC_URL: "https://busdeck.example.com" });
    expect(c.alerts).toMatchObject({ alertmanagerUrl: "http://am:9093", publicUrl: "https://busdeck.example.com" });
    expect(() => parseConfig({ BUSDECK_ALERT_WEBHOOK_URL: "ftp://x" })).toThrow(/BUSDECK_ALERT_WEBHOOK_URL/);
    expect(() => parseConfig({ BUSDECK_SLACK_WEBHOOK_URL: "hooks.slack.com/x" })).toThrow(/BUSDECK_SLACK_WEBHOOK_URL/);
  });

  it("config - a bad value names the variable", () => {
    expect(() => parseConfig({ NATS_URL: "http://x" })).toThrow(/NATS_URL/);
    expect(() => parseConfig({ BUSDECK_DEMO: "maybe" })).toThrow(/BUSDECK_DEMO/);
    expect(() => parseConfig({ BUSDECK_SAMPLE_INTERVAL_MS: "10" })).toThrow(/BUSDECK_SAMPLE_INTERVAL_MS/);
    expect(() => parseConfig({ NATS_USER: "u" })).toThrow(/NATS_USER and NATS_PASSWORD/);
    expect(() => parseConfig({ BUSDECK_CLUSTER: "2" })).toThrow(/BUSDECK_CLUSTER: must be 1 or 3/);
    expect(parseConfig({ BUSDECK_CLUSTER: "3", BUSDECK_DEMO_FAST: "1" })).toMatchObject({ embeddedNodes: 3, demo: { fast: true } });
  });

  it("config - the bus servers view's sources: system credentials (user and password together) or monitoring URLs", () => {
    expect(parseConfig({}).bus).toEqual({ system: null, monitorUrls: [] });
    expect(parseConfig({ NATS_SYSTEM_USER: "sys", NATS_SYSTEM_PASSWORD: "pw" }).bus.system).toEqual({
      creds: undefined,
      user: "sys",
      password: "pw",
    });
    expect(parseConfig({ NATS_SYSTEM_CREDS: "/run/sys.creds" }).bus.system).toMatchObject({ creds: "/run/sys.creds" });
    expect(() => parseConfig({ NATS_SYSTEM_USER: "sys" })).toThrow(/NATS_SYSTEM_USER and NATS_SYSTEM_PASSWORD/);
    expect(parseConfig({ BUSDECK_MONITOR_URLS: "http://nats-1:8222, https://nats-2:8222/" }).bus.monitorUrls).toEqual([
      "http://nats-1:8222",
      "https://nats-2:8222/",
    ]);
    expect(() => parseConfig({ BUSDECK_MONITOR_URLS: "nats://nats-1:4222" })).toThrow(/BUSDECK_MONITOR_URLS/);
    expect(() => parseConfig({ BUSDECK_MONITOR_URLS: "http://nats-1:8222/varz" })).toThrow(/BUSDECK_MONITOR_URLS/);
  });

  it("config - redaction lists extend the default patterns, or replace them when the defaults are off", () => {
    expect(parseConfig({}).redaction.fields).toContain("password");
    const extended = parseConfig({ BUSDECK_REDACT_FIELDS: "ssn, iban", BUSDECK_REDACT_HEADERS: "x-tenant" }).redaction;
    expect(extended.fields).toEqual(expect.arrayContaining(["token", "ssn", "iban"]));
    expect(extended.headers).toEqual(expect.arrayContaining(["authorization", "x-tenant"]));
    expect(parseConfig({ BUSDECK_REDACT_FIELDS: "ssn", BUSDECK_REDACT_DEFAULTS: "off" }).redaction).toEqual({
      fields: ["ssn"],
      headers: [],
    });
    expect(() => parseConfig({ BUSDECK_REDACT_DEFAULTS: "nope" })).toThrow(/BUSDECK_REDACT_DEFAULTS/);
  });

  it("config - BUSDECK_READ_ONLY is off by default, on with 1, and a bad value names the variable", () => {
    expect(parseConfig({}).readOnly).toBe(false);
    expect(parseConfig({ BUSDECK_READ_ONLY: "1" }).readOnly).toBe(true);
    expect(readOnlyFrom({ BUSDECK_READ_ONLY: "true" })).toBe(true);
    expect(readOnlyFrom({ BUSDECK_READ_ONLY: "" })).toBe(false);
    expect(() => parseConfig({ BUSDECK_READ_ONLY: "maybe" })).toThrow(/BUSDECK_READ_ONLY/);
    expect(parseConfig({ BUSDECK_FLEET_PREFIX: "ops" }).audit).toEqual({ stream: "BUSDECK_AUDIT", subject: "ops.audit" });
  });

  it("config - the subject tap: > on the embedded default, off on a configured bus, configured subjects validated by name", () => {
    expect(parseConfig({}).subjectTap).toEqual({ subjects: [">"], maxRate: 20_000, offReason: "" });
    const external = parseConfig({ NATS_URL: "nats://a:4222" }).subjectTap;
    expect(external.subjects).toEqual([]);
    expect(external.offReason).toMatch(/set BUSDECK_SUBJECT_TAP/);
    expect(parseConfig({ NATS_URL: "nats://a:4222", BUSDECK_SUBJECT_TAP: "orders.>, pay.*,orders.>" }).subjectTap.subjects).toEqual([
      "orders.>",
      "pay.*",
    ]);
    expect(parseConfig({ BUSDECK_SUBJECT_TAP: "off" }).subjectTap).toMatchObject({ subjects: [], offReason: "BUSDECK_SUBJECT_TAP=off" });
    expect(parseConfig({ BUSDECK_SUBJECT_TAP_MAX_RATE: "500" }).subjectTap.maxRate).toBe(500);
    expect(() => parseConfig({ BUSDECK_SUBJECT_TAP: "orders.>.x" })).toThrow(
      /BUSDECK_SUBJECT_TAP: "orders\.>\.x": ">" must be the last token/,
    );
    expect(() => parseConfig({ BUSDECK_SUBJECT_TAP_MAX_RATE: "0" })).toThrow(/BUSDECK_SUBJECT_TAP_MAX_RATE/);
  });
});
