/**
 * The demo's stream traffic: the Bridge's routing decisions, the LiteLLM gateway's request lifecycle and the Memory
 * API's tier transitions. One request produces correlated messages on routing.* and llm.* sharing its requestId, so
 * following an id in the message browser tells a coherent story (select → start → fail → fallback → complete).
 */
import type { JetStreamClient } from "@nats-io/jetstream";
import type { Lifecycle } from "./lifecycle";
import {
  LLM_ERRORS,
  MemoryModel,
  RETRYABLE,
  llmRequest,
  malformedFailedPayload,
  planRequest,
  routingDecision,
  type RequestPlan,
} from "./payloads";
import type { Rng } from "./random";
import { jsPublish } from "./streams";

/** Base rates at rate multiplier 1 (≈3 routing, ≈4 llm and 3 memory msgs/s). */
export const REQUESTS_PER_S = 2;
export const MEMORY_EVENTS_PER_S = 3;
/** Expected routing.* messages per request (selected + some cost.calculated + some fallbacks). */
export const ROUTING_MSGS_PER_REQUEST = 1.6;

const FAILURE_P = 0.1;
const MALFORMED_P = 0.012;

/** Every random decision for one request, drawn up front so a seed fixes the whole story regardless of timing. */
export interface RequestScript {
  plan: RequestPlan;
  attempts: { latencyMs: number; error?: string }[];
  malformed: boolean;
  reportCost: boolean;
}

export function scriptRequest(rng: Rng): RequestScript {
  const plan = planRequest(rng);
  const attempts: RequestScript["attempts"] = [];
  for (let i = 0; i < Math.min(3, plan.ranked.length); i++) {
    const latencyMs = Math.min(30_000, rng.logNormal(plan.ranked[i]!.latencyMs, 0.5));
    const error = rng.chance(FAILURE_P) ? rng.pick(LLM_ERRORS) : undefined;
    attempts.push({ latencyMs: error?.startsWith("Timeout") ? 30_000 : latencyMs, error });
    if (!error || !RETRYABLE(error)) break;
  }
  return { plan, attempts, malformed: rng.chance(MALFORMED_P), reportCost: rng.chance(0.6) };
}

export function startRequestTraffic(js: JetStreamClient, lc: Lifecycle, rng: Rng, rate: number): void {
  const meanGapMs = 1000 / (REQUESTS_PER_S * rate);
  lc.spawn("request traffic", async () => {
    while (await lc.sleep(rng.exponential(meanGapMs))) {
      const script = scriptRequest(rng);
      lc.spawn("request", () => runRequest(js, lc, rng.fork(script.plan.requestId), script));
    }
  });
}

async function runRequest(js: JetStreamClient, lc: Lifecycle, rng: Rng, s: RequestScript): Promise<void> {
  const { plan } = s;
  const id = plan.requestId;
  await jsPublish(js, lc, "routing.model.selected", routingDecision(plan, 0, new Date(), rng), `${id}:selected`);
  for (let i = 0; i < s.attempts.length; i++) {
    const attempt = s.attempts[i]!;
    const model = plan.ranked[i]!;
    await jsPublish(js, lc, "llm.request.started", llmRequest(plan, model, "started", new Date()), `${id}:started:${i}`);
    // Timeouts are compressed: nobody wants to watch a 30 s wait in a demo, the payload still says 30000 ms.
    if (!(await lc.sleep(Math.min(attempt.latencyMs, 5_000)))) return;
    if (s.malformed && i === s.attempts.length - 1) {
      await jsPublish(js, lc, "llm.request.failed", malformedFailedPayload(rng, plan), `${id}:failed:${i}`);
      return;
    }
    if (attempt.error) {
      await jsPublish(
        js,
        lc,
        "llm.request.failed",
        llmRequest(plan, model, "failed", new Date(), { latency: attempt.latencyMs, error: attempt.error }),
        `${id}:failed:${i}`,
      );
      if (i + 1 < s.attempts.length) {
        await jsPublish(js, lc, "routing.fallback.triggered", routingDecision(plan, i + 1, new Date(), rng), `${id}:fallback:${i + 1}`);
      }
      continue;
    }
    const done = llmRequest(plan, model, "completed", new Date(), { latency: attempt.latencyMs });
    await jsPublish(js, lc, "llm.request.completed", done, `${id}:completed:${i}`);
    if (s.reportCost) {
      await jsPublish(js, lc, "routing.cost.calculated", routingDecision(plan, i, new Date(), rng, done.cost), `${id}:cost`);
    }
  }
}

export function startMemoryTraffic(js: JetStreamClient, lc: Lifecycle, rng: Rng, rate: number): void {
  const model = new MemoryModel(rng.fork("memory-model"));
  const meanGapMs = 1000 / (MEMORY_EVENTS_PER_S * rate);
  lc.spawn("memory traffic", async () => {
    while (await lc.sleep(rng.exponential(meanGapMs))) {
      const ev = model.next(new Date());
      await jsPublish(js, lc, `memory.${ev.eventType}`, ev, ev.eventId);
    }
  });
}
