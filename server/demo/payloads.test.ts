import { describe, expect, it } from "vitest";
import { MODELS, MemoryModel, costOf, llmRequest, malformedFailedPayload, msgpackFailure, planRequest, routingDecision } from "./payloads";
import { scriptRequest } from "./publishers";
import { Rng } from "./random";

const now = new Date("2026-11-23T12:00:00.000Z");

describe("demo stream payloads", () => {
  it("builds a RoutingDecision with exactly the seed's fields", () => {
    const rng = new Rng(1);
    const plan = planRequest(rng);
    const d = routingDecision(plan, 0, now, rng);
    expect(Object.keys(d).sort()).toEqual([
      "alternatives",
      "estimatedCost",
      "estimatedLatency",
      "reason",
      "requestId",
      "selectedModel",
      "timestamp",
    ]);
    expect(["cost-optimized", "performance", "balanced"]).toContain(d.reason);
    expect(d.selectedModel).toBe(plan.ranked[0]!.model);
    expect(d.alternatives.length).toBeGreaterThan(0);
    expect(d.alternatives.every((a) => a.model !== d.selectedModel && a.cost >= 0 && a.latency > 0)).toBe(true);
    expect(d.estimatedCost).toBe(costOf(plan.ranked[0]!, plan.promptTokens, plan.completionTokens));
  });

  it("builds LLMRequest lifecycle events with consistent tokens and cost", () => {
    const plan = planRequest(new Rng(2));
    const m = plan.ranked[0]!;
    const started = llmRequest(plan, m, "started", now);
    const done = llmRequest(plan, m, "completed", now, { latency: 812.4 });
    const failed = llmRequest(plan, m, "failed", now, { latency: 30_000, error: "Timeout: request exceeded 30000ms" });
    expect(Object.keys(started).sort()).toEqual(["cost", "latency", "model", "provider", "requestId", "status", "timestamp", "tokens"]);
    expect(started).toMatchObject({ status: "started", cost: 0, tokens: { completion: 0 } });
    expect(done.tokens.total).toBe(done.tokens.prompt + done.tokens.completion);
    expect(done.latency).toBe(812);
    expect(done.cost).toBeGreaterThan(0);
    expect(failed.error).toMatch(/Timeout/);
    expect(MODELS.some((x) => x.provider === done.provider && x.model === done.model)).toBe(true);
  });

  it("scripts a request deterministically from the seed", () => {
    expect(scriptRequest(new Rng(11))).toEqual(scriptRequest(new Rng(11)));
  });

  it("makes malformed llm.request.failed bodies that are not JSON", () => {
    const rng = new Rng(4);
    const plan = planRequest(rng);
    for (let i = 0; i < 20; i++) {
      const body = malformedFailedPayload(rng, plan);
      expect(() => JSON.parse(new TextDecoder().decode(body))).toThrow();
    }
  });

  it("encodes the msgpack failure with bytes that are not valid UTF-8", () => {
    const bytes = msgpackFailure("b11e213d-bd9a-4cbc-ac53-e7ee78575ff9");
    expect(bytes[0]).toBe(0x82);
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
  });
});

describe("MemoryModel", () => {
  it("only retrieves, consolidates and expires memories it added before", () => {
    const model = new MemoryModel(new Rng(8));
    const added = new Set<string>();
    const types = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const ev = model.next(now);
      types.add(ev.eventType);
      if (ev.eventType === "added") {
        expect(ev.tier).toBe("short-term");
        added.add(ev.memoryId);
      } else {
        expect(added.has(ev.memoryId)).toBe(true);
      }
      if (ev.eventType === "consolidated") expect(["working", "long-term"]).toContain(ev.tier);
    }
    expect([...types].sort()).toEqual(["added", "consolidated", "expired", "retrieved"]);
  });
});
