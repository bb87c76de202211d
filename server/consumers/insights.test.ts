import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { LossForecast } from "../../lib/consumers/loss-forecast";
import type { ConsumerSummary } from "../../lib/consumers/types";
import { consumerSummary } from "../../testing/fixtures/consumer";
import { registerConsumerMetrics } from "./insights";

describe("consumer metrics", () => {
  it("consumer metrics - the loss forecast: seconds to eviction from the scrape, evicted counts, no sample without a forecast", async () => {
    const sampledAt = "2026-12-07T12:00:00.000Z";
    const withLoss = (name: string, loss?: LossForecast): ConsumerSummary => {
      const c = consumerSummary("ORDERS", name, { lag: 10 });
      return { ...c, sampled_at: sampledAt, insight: { ...c.insight!, ...(loss ? { loss } : {}) } };
    };
    const evicts: LossForecast = { kind: "evicts_in", ms: 600_000, evicted: null, exact: false, limit: "max_age", evidence: "" };
    const lost: LossForecast = { kind: "already_evicted", ms: null, evicted: 412, exact: true, limit: null, evidence: "" };
    const registry = new Registry();
    const latest = [withLoss("billing", evicts), withLoss("audit", lost), withLoss("idle")];
    // scraped a minute after the sample: nine minutes left
    registerConsumerMetrics(registry, { latest }, 1_000, () => Date.parse(sampledAt) + 60_000);
    const text = await registry.metrics();
    expect(text).toContain('busdeck_consumer_loss_eta_seconds{stream="ORDERS",consumer="billing",kind="evicts_in",limit="max_age"} 540');
    expect(text).toContain('busdeck_consumer_evicted_unprocessed_messages{stream="ORDERS",consumer="audit",bound="exact"} 412');
    expect(text).not.toMatch(/busdeck_consumer_(loss|evicted)[^\n]*consumer="idle"/);
    expect(text).not.toMatch(/busdeck_consumer_loss_eta_seconds[^\n]*consumer="audit"/);
  });
});

describe("consumer metrics provenance", () => {
  it("consumer metrics - an unknown consumer exports no lag sample (neither its last reading nor 0); a known one does", async () => {
    const unknown: ConsumerSummary = {
      ...consumerSummary("ORDERS", "billing", { lag: 4200, lagSeconds: 30 }),
      unknown_since: "2026-12-07T12:00:05Z",
    };
    const known = consumerSummary("ORDERS", "audit", { lag: 7, lagSeconds: 2 });
    const registry = new Registry();
    registerConsumerMetrics(registry, { latest: [unknown, known] }, 1_000);
    const text = await registry.metrics();
    expect(text).toContain('busdeck_consumer_lag_messages{stream="ORDERS",consumer="audit"} 7');
    expect(text).not.toMatch(/consumer="billing"/);
  });
});
