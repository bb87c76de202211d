/**
 * Payload builders for the demo's streams, shaped exactly like the real publishers' TypeScript interfaces so the
 * message browser shows what the real Bridge / Memory API / LiteLLM gateway would publish. Pure: rng and clock in.
 */
import type { Rng } from "./random";

export interface RoutingDecision {
  requestId: string;
  timestamp: string;
  selectedModel: string;
  reason: "cost-optimized" | "performance" | "balanced";
  estimatedCost: number;
  estimatedLatency: number;
  alternatives: Array<{ model: string; cost: number; latency: number }>;
}

export interface MemoryEvent {
  eventId: string;
  timestamp: string;
  memoryId: string;
  eventType: "added" | "consolidated" | "retrieved" | "expired";
  tier: "short-term" | "working" | "long-term";
  importance?: number;
  accessCount?: number;
  metadata?: Record<string, unknown>;
}

export interface LLMRequest {
  requestId: string;
  timestamp: string;
  provider: string;
  model: string;
  tokens: { prompt: number; completion: number; total: number };
  cost: number;
  latency: number;
  status: "started" | "completed" | "failed";
  error?: string;
}

export interface ModelSpec {
  model: string;
  provider: string;
  /** USD per 1K tokens. */
  promptPer1k: number;
  completionPer1k: number;
  /** Median end-to-end latency in ms. */
  latencyMs: number;
}

export const MODELS: readonly ModelSpec[] = [
  { model: "gemini-1.5-flash", provider: "google", promptPer1k: 0.000075, completionPer1k: 0.0003, latencyMs: 450 },
  { model: "gemini-pro", provider: "google", promptPer1k: 0.0005, completionPer1k: 0.0015, latencyMs: 900 },
  { model: "gpt-4o-mini", provider: "openai", promptPer1k: 0.00015, completionPer1k: 0.0006, latencyMs: 700 },
  { model: "gpt-4o", provider: "openai", promptPer1k: 0.0025, completionPer1k: 0.01, latencyMs: 1400 },
  { model: "claude-3-5-sonnet", provider: "anthropic", promptPer1k: 0.003, completionPer1k: 0.015, latencyMs: 1600 },
  { model: "claude-3-haiku", provider: "anthropic", promptPer1k: 0.00025, completionPer1k: 0.00125, latencyMs: 600 },
  { model: "llama-3.1-70b", provider: "groq", promptPer1k: 0.00059, completionPer1k: 0.00079, latencyMs: 350 },
  { model: "mistral-large", provider: "mistral", promptPer1k: 0.002, completionPer1k: 0.006, latencyMs: 1200 },
];

const round = (n: number, digits: number) => Number(n.toFixed(digits));

export function costOf(m: ModelSpec, prompt: number, completion: number): number {
  return round((prompt / 1000) * m.promptPer1k + (completion / 1000) * m.completionPer1k, 6);
}

/** One request's plan: the routing choice plus the token counts the gateway will later report. */
export interface RequestPlan {
  requestId: string;
  reason: RoutingDecision["reason"];
  /** Ranked candidates; [0] is selected, the rest are fallbacks in order. */
  ranked: ModelSpec[];
  promptTokens: number;
  completionTokens: number;
}

export function planRequest(rng: Rng): RequestPlan {
  const reason = rng.weighted<RoutingDecision["reason"]>([
    ["cost-optimized", 5],
    ["balanced", 3],
    ["performance", 2],
  ]);
  const promptTokens = Math.max(12, Math.round(rng.logNormal(900, 0.9)));
  const completionTokens = Math.max(1, Math.round(rng.logNormal(280, 0.8)));
  // Score with noise so the same reason does not always pick the same model, as a live router would.
  const score = (m: ModelSpec) => {
    const cost = costOf(m, promptTokens, completionTokens);
    const w = reason === "cost-optimized" ? [1, 0.1] : reason === "performance" ? [0.1, 1] : [0.5, 0.5];
    return w[0]! * Math.log(cost + 1e-6) + w[1]! * Math.log(m.latencyMs) + rng.normal(0, 0.6);
  };
  const ranked = [...MODELS]
    .map((m) => ({ m, s: score(m) }))
    .sort((a, b) => a.s - b.s)
    .map((x) => x.m);
  return { requestId: rng.uuid(), reason, ranked: ranked.slice(0, 4), promptTokens, completionTokens };
}

export function routingDecision(plan: RequestPlan, selectedIndex: number, now: Date, rng: Rng, actualCost?: number): RoutingDecision {
  const selected = plan.ranked[selectedIndex] ?? plan.ranked[0]!;
  const estimate = (m: ModelSpec) => ({
    cost: costOf(m, plan.promptTokens, plan.completionTokens),
    latency: Math.round(m.latencyMs * rng.range(0.85, 1.2)),
  });
  const sel = estimate(selected);
  return {
    requestId: plan.requestId,
    timestamp: now.toISOString(),
    selectedModel: selected.model,
    reason: plan.reason,
    estimatedCost: actualCost ?? sel.cost,
    estimatedLatency: sel.latency,
    alternatives: plan.ranked
      .filter((m) => m !== selected)
      .slice(0, 3)
      .map((m) => ({ model: m.model, ...estimate(m) })),
  };
}

export const LLM_ERRORS = [
  "RateLimitError: 429 Too Many Requests - tokens per minute limit reached",
  "Timeout: request exceeded 30000ms",
  "ServiceUnavailableError: 503 upstream overloaded",
  "APIConnectionError: upstream connect error or disconnect/reset before headers",
  "ContextWindowExceededError: prompt is too long for the model's context window",
  "BadRequestError: 400 invalid 'messages[2].content': expected a string",
] as const;

/** Errors after which the router tries the next candidate instead of giving up. */
export const RETRYABLE = (error: string) => /^(RateLimitError|Timeout|ServiceUnavailableError|APIConnectionError)/.test(error);

export function llmRequest(
  plan: RequestPlan,
  model: ModelSpec,
  status: LLMRequest["status"],
  now: Date,
  extra: { latency?: number; error?: string } = {},
): LLMRequest {
  const completion = status === "completed" ? plan.completionTokens : 0;
  const prompt = plan.promptTokens;
  return {
    requestId: plan.requestId,
    timestamp: now.toISOString(),
    provider: model.provider,
    model: model.model,
    tokens: { prompt, completion, total: prompt + completion },
    // Providers bill prompt tokens even for most failures; started events have no cost yet.
    cost: status === "completed" ? costOf(model, prompt, completion) : status === "failed" ? costOf(model, prompt, 0) : 0,
    latency: Math.round(extra.latency ?? 0),
    status,
    ...(extra.error ? { error: extra.error } : {}),
  };
}

/**
 * Malformed bodies on llm.request.failed, as real gateways produce them: a proxy's plain-text error page,
 * a JSON body cut off by a size limit, and a msgpack body from a misconfigured serializer (non-UTF-8 bytes).
 */
export function malformedFailedPayload(rng: Rng, plan: RequestPlan): Uint8Array {
  const enc = new TextEncoder();
  switch (rng.int(0, 2)) {
    case 0:
      return enc.encode("upstream connect error or disconnect/reset before headers. reset reason: connection termination");
    case 1: {
      const full = JSON.stringify(llmRequest(plan, plan.ranked[0]!, "failed", new Date(), { error: LLM_ERRORS[1] }));
      return enc.encode(full.slice(0, rng.int(20, full.length - 10)));
    }
    default:
      return msgpackFailure(plan.requestId);
  }
}

/** {requestId, status: "failed"} in msgpack: a fixmap with str8/fixstr members. */
export function msgpackFailure(requestId: string): Uint8Array {
  const enc = new TextEncoder();
  const fixstr = (s: string) => [0xa0 | s.length, ...enc.encode(s)];
  const id = enc.encode(requestId);
  return Uint8Array.from([0x82, ...fixstr("requestId"), 0xd9, id.length, ...id, ...fixstr("status"), ...fixstr("failed")]);
}

/** Memory API model: keeps a pool of live memories so retrieved/consolidated/expired refer to ones added earlier. */
export class MemoryModel {
  private readonly live: { id: string; tier: MemoryEvent["tier"]; accessCount: number; importance: number }[] = [];

  constructor(
    private readonly rng: Rng,
    private readonly maxLive = 500,
  ) {}

  next(now: Date): MemoryEvent {
    const rng = this.rng;
    const type =
      this.live.length < 5
        ? "added"
        : rng.weighted<MemoryEvent["eventType"]>([
            ["added", 35],
            ["retrieved", 35],
            ["consolidated", 20],
            ["expired", 10],
          ]);
    const base = { eventId: rng.uuid(), timestamp: now.toISOString() };
    if (type === "added") {
      const mem = { id: `mem_${rng.hex(16)}`, tier: "short-term" as const, accessCount: 0, importance: round(rng.float(), 3) };
      this.live.push(mem);
      if (this.live.length > this.maxLive) this.live.shift();
      return {
        ...base,
        memoryId: mem.id,
        eventType: "added",
        tier: mem.tier,
        importance: mem.importance,
        metadata: {
          source: rng.pick(["chat", "agent", "ingest", "tool-result"]),
          agentId: rng.pick(["overmind", "scout-7", "planner", "coder-2"]),
          sessionId: `sess_${rng.hex(8)}`,
          tags: rng.chance(0.5) ? [rng.pick(["routing", "billing", "infra", "user-pref", "incident"])] : [],
        },
      };
    }
    const idx = rng.int(0, this.live.length - 1);
    const mem = this.live[idx]!;
    if (type === "retrieved") {
      mem.accessCount++;
      return {
        ...base,
        memoryId: mem.id,
        eventType: "retrieved",
        tier: mem.tier,
        accessCount: mem.accessCount,
        metadata: { query: `q_${rng.hex(6)}`, score: round(rng.range(0.55, 0.99), 3) },
      };
    }
    if (type === "consolidated") {
      const from = mem.tier;
      mem.tier = from === "short-term" ? "working" : "long-term";
      mem.importance = round(Math.min(1, mem.importance + rng.range(0, 0.2)), 3);
      return {
        ...base,
        memoryId: mem.id,
        eventType: "consolidated",
        tier: mem.tier,
        importance: mem.importance,
        accessCount: mem.accessCount,
        metadata: { from, workflowId: `consolidate-${rng.hex(8)}` },
      };
    }
    this.live.splice(idx, 1);
    return {
      ...base,
      memoryId: mem.id,
      eventType: "expired",
      tier: mem.tier,
      metadata: { reason: rng.pick(["ttl", "low-importance", "evicted"]) },
    };
  }
}
