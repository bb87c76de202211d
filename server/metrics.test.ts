import { describe, expect, it } from "vitest";
import { Hub } from "./hub/hub";
import { createMetrics } from "./metrics";
import { consumerSummary } from "../testing/fixtures/consumer";
import { emptyConsumersSnapshot, type ConsumerSummary } from "../lib/consumers/types";
import { emptyStreamsSnapshot } from "../lib/streams/types";
import type { LossForecast } from "../lib/consumers/loss-forecast";

describe("metrics", () => {
  it("metrics - process metrics follow Prometheus naming: one busdeck_ prefix, no doubled words", async () => {
    const hub = new Hub();
    const text = await createMetrics(hub).registry.metrics();
    hub.close();
    expect(text).toMatch(/^busdeck_process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^busdeck_nodejs_heap_size_used_bytes /m);
    expect(text).not.toMatch(/process_process_|busdeck_process_nodejs_/);
  });

  it("metrics - the loss forecast: seconds to eviction from now, evicted counts, and no sample for a consumer without one", async () => {
    const sampledAt = "2026-12-07T12:00:00.000Z";
    const withLoss = (name: string, loss?: LossForecast, stream = "ORDERS"): ConsumerSummary => {
      const c = consumerSummary(stream, name, { lag: 10, sampledAt });
      return { ...c, sampled_at: sampledAt, insight: { ...c.insight!, ...(loss ? { loss } : {}) } };
    };
    const evicts: LossForecast = { kind: "evicts_in", ms: 600_000, evicted: null, exact: false, limit: "max_age", evidence: "" };
    const lost: LossForecast = { kind: "already_evicted", ms: null, evicted: 412, exact: true, limit: null, evidence: "" };
    const hub = new Hub();
    hub.publishState("streams", { ...emptyStreamsSnapshot(), status: "ok", own_streams: ["BUSDECK_X"] });
    hub.publishState("consumers", {
      ...emptyConsumersSnapshot(),
      status: "ok",
      consumers: [withLoss("billing", evicts), withLoss("audit", lost), withLoss("idle"), withLoss("own", evicts, "BUSDECK_X")],
    });
    // scraped a minute after the sample: nine minutes left
    const text = await createMetrics(hub, () => Date.parse(sampledAt) + 60_000).registry.metrics();
    hub.close();
    expect(text).toContain('busdeck_consumer_loss_eta_seconds{stream="ORDERS",consumer="billing",kind="evicts_in",limit="max_age"} 540');
    expect(text).toContain('busdeck_consumer_evicted_unprocessed_messages{stream="ORDERS",consumer="audit",bound="exact"} 412');
    expect(text).not.toMatch(/consumer="idle"|consumer="own"/);
    expect(text).not.toMatch(/consumer="audit",kind=/);
  });
});
