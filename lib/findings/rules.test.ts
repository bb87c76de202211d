import { describe, expect, it } from "vitest";
import { consumerSummary } from "../../testing/fixtures/consumer";
import { streamSummary } from "../../testing/fixtures/stream";
import { emptyConsumersSnapshot, type ConsumerSummary } from "../consumers/types";
import { emptySingletonsSnapshot, type SingletonsSnapshot } from "../failover/timeline";
import type { LockTransition, SingletonState } from "../failover/lock-transitions";
import { emptyOutcomeStats, type HandlerSummary, type OutcomeStats } from "../outcomes/outcome";
import { emptyStreamsSnapshot, type StreamSummary } from "../streams/types";
import { evaluateRules, type FindingInputs } from "./rules";
import type { LossForecast } from "../consumers/loss-forecast";

const NOW = Date.parse("2026-11-23T12:00:00Z");

interface InputParts {
  consumers?: ConsumerSummary[];
  streams?: StreamSummary[];
  own?: string[];
  singletons?: SingletonState[];
  transitions?: LockTransition[];
  outcomes?: OutcomeStats;
}

function inputs(o: InputParts = {}): FindingInputs {
  const singletons: SingletonsSnapshot = { ...emptySingletonsSnapshot(), status: "ok", singletons: o.singletons ?? [] };
  return {
    now: NOW,
    consumers: { ...emptyConsumersSnapshot(), status: "ok", consumers: o.consumers ?? [] },
    streams: { ...emptyStreamsSnapshot(), status: "ok", streams: o.streams ?? [], own_streams: o.own ?? [] },
    singletons,
    lockTransitions: o.transitions ?? [],
    outcomes: o.outcomes ?? null,
  };
}

const singleton = (lastWriteAgoMs: number, leaseMs = 10_000): SingletonState => ({
  bucket: "locks",
  key: "dedup",
  holder: "worker-a",
  held_since: "2026-11-23T11:00:00Z",
  last_write_at: new Date(NOW - lastWriteAgoMs).toISOString(),
  last_revision: 7,
  renew_interval_ms: 2_000,
  interval_source: "value",
  lease_ms: leaseMs,
  lease_source: "value",
  candidates: [],
  warning: null,
  raw: null,
});

describe("findings rules - consumer loss forecast", () => {
  const withLoss = (name: string, loss: LossForecast, stream = "ORDERS"): ConsumerSummary => {
    const c = consumerSummary(stream, name, { status: "OK", lag: 10 });
    return { ...c, insight: { ...c.insight!, loss } };
  };
  const evicts = (ms: number): LossForecast => ({
    kind: "evicts_in",
    ms,
    evicted: null,
    exact: false,
    limit: "max_age",
    evidence: "evicted soon",
  });
  const lossOf = (o: InputParts & { tracked?: Set<string> }) =>
    evaluateRules({ ...inputs(o), tracked: o.tracked }).conditions.filter((c) => c.rule === "consumer_loss");

  it("findings - messages already evicted are critical when counted exactly, a warning when a filtered consumer's bound", () => {
    const exact: LossForecast = {
      kind: "already_evicted",
      ms: null,
      evicted: 412,
      exact: true,
      limit: null,
      evidence: "412 messages were already evicted",
    };
    const conditions = lossOf({ consumers: [withLoss("billing", exact), withLoss("audit", { ...exact, exact: false })] });
    expect(conditions).toEqual([
      expect.objectContaining({
        id: "consumer_loss:consumer:ORDERS/billing",
        severity: "critical",
        evidence: "412 messages were already evicted",
      }),
      expect.objectContaining({ id: "consumer_loss:consumer:ORDERS/audit", severity: "warning", link: "/consumers/ORDERS/audit" }),
    ]);
  });

  it("findings - an eviction within the hour is a warning; later, a refused publish or busdeck's own stream raise nothing", () => {
    const rejects: LossForecast = { ...evicts(0), kind: "rejects_in", limit: "max_msgs" };
    const conditions = lossOf({
      consumers: [
        withLoss("soon", evicts(3_000_000)),
        withLoss("later", evicts(3_700_000)),
        withLoss("full", rejects),
        withLoss("own", evicts(0), "BUSDECK_X"),
      ],
      own: ["BUSDECK_X"],
    });
    expect(conditions.map((c) => [c.entity, c.severity])).toEqual([[{ kind: "consumer", stream: "ORDERS", consumer: "soon" }, "warning"]]);
  });

  it("findings - an ephemeral KV watcher left behind by a killed client loses nothing: no finding; an ephemeral consumer with acks does", () => {
    const evicted: LossForecast = { kind: "already_evicted", ms: null, evicted: 30, exact: true, limit: null, evidence: "30 evicted" };
    const ephemeral = (name: string, ack_policy: string) => {
      const c = withLoss(name, evicted, "KV_locks");
      return { ...c, config: { ...c.config, durable: false, ack_policy } };
    };
    const conditions = lossOf({ consumers: [ephemeral("oc_u5aon_1", "none"), ephemeral("eph_worker", "explicit")] });
    expect(conditions.map((c) => c.id)).toEqual(["consumer_loss:consumer:KV_locks/eph_worker"]);
  });

  it("findings - a raised eviction forecast holds while within two hours, so a wobbling rate does not flap it", () => {
    const consumers = [withLoss("billing", evicts(5_000_000))];
    expect(lossOf({ consumers })).toEqual([]);
    expect(lossOf({ consumers, tracked: new Set(["consumer_loss:consumer:ORDERS/billing"]) })).toHaveLength(1);
    expect(
      lossOf({ consumers: [withLoss("billing", evicts(7_300_000))], tracked: new Set(["consumer_loss:consumer:ORDERS/billing"]) }),
    ).toEqual([]);
  });
});

describe("findings rules - consumer health", () => {
  it.each([
    ["ERR", "critical"],
    ["STOP", "critical"],
    ["STALL", "critical"],
    ["WARN", "warning"],
  ] as const)("findings - a %s consumer is a %s finding linking to its page", (status, severity) => {
    const { conditions } = evaluateRules(inputs({ consumers: [consumerSummary("ORDERS", "billing", { status, lag: 40 })] }));
    expect(conditions).toEqual([
      expect.objectContaining({
        id: "consumer_health:consumer:ORDERS/billing",
        severity,
        rule: "consumer_health",
        entity: { kind: "consumer", stream: "ORDERS", consumer: "billing" },
        link: "/consumers/ORDERS/billing",
      }),
    ]);
    expect(conditions[0]!.evidence).toMatch(new RegExp(`^${status} \\(lag_steady\\)`));
  });

  it("findings - OK and REWIND consumers, and consumers without insight, raise nothing", () => {
    const noInsight = { ...consumerSummary("ORDERS", "c"), insight: null };
    const rows = [consumerSummary("ORDERS", "a", { status: "OK" }), consumerSummary("ORDERS", "b", { status: "REWIND" }), noInsight];
    expect(evaluateRules(inputs({ consumers: rows })).conditions).toEqual([]);
  });

  it("findings - a stalled consumer of busdeck's own stream raises nothing", () => {
    const rows = [consumerSummary("BUSDECK_HISTORY", "reader", { status: "STALL", lag: 5 })];
    expect(evaluateRules(inputs({ consumers: rows, own: ["BUSDECK_HISTORY"] })).conditions).toEqual([]);
  });

  it("findings - an ephemeral reader that acks nothing (an ordered consumer left by a killed client) raises nothing; one that acks does", () => {
    const ephemeral = (name: string, ack_policy: string) => {
      const c = consumerSummary("REFLEX_OUTCOMES", name, { status: "STALL", lag: 5_000 });
      return { ...c, config: { ...c.config, durable: false, ack_policy } };
    };
    const rows = [ephemeral("oc_x7Gq_1", "none"), ephemeral("worker_eph", "explicit")];
    expect(evaluateRules(inputs({ consumers: rows })).conditions.map((c) => c.id)).toEqual([
      "consumer_health:consumer:REFLEX_OUTCOMES/worker_eph",
    ]);
  });

  it("findings - a degraded consumers snapshot is not judged", () => {
    const i = inputs({ consumers: [consumerSummary("ORDERS", "billing", { status: "STALL" })] });
    const result = evaluateRules({ ...i, consumers: { ...i.consumers, status: "degraded" } });
    expect(result.conditions).toEqual([]);
    expect(result.judged.has("consumer")).toBe(false);
    expect(result.judged.has("stream")).toBe(true);
  });
});

describe("findings rules - consumer thresholds from io.nats.monitor metadata", () => {
  const withMetadata = (metadata: Record<string, string>, over: Partial<ConsumerSummary> = {}): ConsumerSummary => {
    const c = consumerSummary("ORDERS", "billing");
    return { ...c, ...over, config: { ...c.config, monitor_metadata: metadata } };
  };

  it("findings - a breached threshold is critical, with the figure, the limit and the key", () => {
    const c = withMetadata({ "io.nats.monitor.outstanding-ack-critical": "100" }, { num_ack_pending: 150 });
    const { conditions } = evaluateRules(inputs({ consumers: [c] }));
    expect(conditions).toEqual([
      expect.objectContaining({
        id: "consumer_threshold:consumer:ORDERS/billing",
        rule: "consumer_threshold",
        severity: "critical",
        evidence: "ack pending 150 ≥ 100 (io.nats.monitor.outstanding-ack-critical)",
        link: "/consumers/ORDERS/billing",
      }),
    ]);
  });

  it("findings - a threshold not reached, or no metadata at all (a 2.9 server), raises nothing", () => {
    const c = withMetadata({ "io.nats.monitor.outstanding-ack-critical": "100" }, { num_ack_pending: 99 });
    expect(evaluateRules(inputs({ consumers: [c, consumerSummary("ORDERS", "shipping")] })).conditions).toEqual([]);
  });

  it("findings - a value that does not parse is ignored, with a warning naming the key on the consumer", () => {
    const c = withMetadata({ "io.nats.monitor.last-ack-critical": "five minutes", "io.nats.monitor.waiting-critical": "1" });
    const { conditions } = evaluateRules(inputs({ consumers: [{ ...c, num_waiting: 0 }] }));
    expect(conditions).toEqual([
      expect.objectContaining({
        id: "consumer_metadata:consumer:ORDERS/billing",
        rule: "consumer_metadata",
        severity: "warning",
        evidence: 'io.nats.monitor.last-ack-critical="five minutes" ignored: expected a duration like 90s, 5m or 1h',
      }),
    ]);
  });
});

describe("findings rules - stream limits and replicas", () => {
  const full = (discard: string) =>
    streamSummary("ORDERS", {
      config: { max_msgs: 1000, discard },
      state: { messages: 1000, bytes: 10_000 },
      rates: { msgs_per_s: 5, bytes_per_s: 50 },
    });

  it("findings - a full discard-new stream is critical: publishes are rejected", () => {
    const [c] = evaluateRules(inputs({ streams: [full("new")] })).conditions;
    expect(c).toMatchObject({ id: "stream_limit:stream:ORDERS", severity: "critical", link: "/streams/ORDERS" });
    expect(c!.evidence).toContain("new messages will be rejected");
  });

  it("findings - a full discard-old stream is only noted: it drops its oldest as configured", () => {
    expect(evaluateRules(inputs({ streams: [full("old")] })).conditions[0]).toMatchObject({ severity: "info", rule: "stream_limit" });
  });

  it("findings - filling raises a warning only for a discard-new stream full within the hour, never for days away", () => {
    const filling = (discard: string, msgsPerS: number) =>
      streamSummary("ORDERS", {
        config: { max_msgs: 100_000, discard },
        state: { messages: 10 },
        rates: { msgs_per_s: msgsPerS, bytes_per_s: 0 },
      });
    const rule = (s: StreamSummary) => evaluateRules(inputs({ streams: [s] })).conditions.map((c) => c.severity);
    // 100,000 messages at 100/s: full in ~17 min
    expect(rule(filling("new", 100))).toEqual(["warning"]);
    // at 1/s: full in ~28 h, what the demo's streams showed as "full in 1d 08h" at 0 %
    expect(rule(filling("new", 1))).toEqual([]);
    expect(rule(filling("old", 100))).toEqual([]);
  });

  it("findings - a stream with room to spare raises nothing, nor does busdeck's own full stream", () => {
    const roomy = streamSummary("ORDERS", {
      config: { max_msgs: 1000 },
      state: { messages: 10 },
      rates: { msgs_per_s: 0, bytes_per_s: 0 },
    });
    expect(evaluateRules(inputs({ streams: [roomy] })).conditions).toEqual([]);
    const own = { ...full("new"), name: "BUSDECK_HISTORY" };
    expect(evaluateRules(inputs({ streams: [own], own: ["BUSDECK_HISTORY"] })).conditions).toEqual([]);
  });

  it("findings - an offline replica is critical, a replica behind is a warning, all current is nothing", () => {
    const clustered = (replicas: { offline: boolean; current: boolean; lag: number }[]) =>
      streamSummary("ORDERS", {
        config: { replicas: 3 },
        cluster: { name: "c", leader: "n1", replicas: replicas.map((r, i) => ({ name: `n${i + 2}`, active_ms: 0, ...r })) },
      });
    const current = { offline: false, current: true, lag: 0 };
    const rule = (s: StreamSummary) => evaluateRules(inputs({ streams: [s] })).conditions.map((c) => [c.rule, c.severity]);
    expect(rule(clustered([current, { offline: true, current: false, lag: 0 }]))).toEqual([["stream_replicas", "critical"]]);
    expect(rule(clustered([current, { offline: false, current: false, lag: 12 }]))).toEqual([["stream_replicas", "warning"]]);
    expect(rule(clustered([current, current]))).toEqual([]);
  });
});

describe("findings rules - failover gap over the lease", () => {
  it("findings - a lock not renewed for longer than its lease is critical, linking to its singleton", () => {
    const [c] = evaluateRules(inputs({ singletons: [singleton(12_000)] })).conditions;
    expect(c).toMatchObject({ id: "lease_expired:singleton:locks/dedup", severity: "critical", link: "/failover?key=dedup" });
    expect(c!.evidence).toContain("worker-a");
  });

  it("findings - a lock renewed within its lease, or released, raises nothing", () => {
    expect(evaluateRules(inputs({ singletons: [singleton(9_000)] })).conditions).toEqual([]);
    expect(evaluateRules(inputs({ singletons: [{ ...singleton(60_000), holder: null }] })).conditions).toEqual([]);
  });
});

const transition = (minutesAgo: number, kind: LockTransition["kind"], split_brain = false): LockTransition => ({
  bucket: "locks",
  key: "dedup",
  kind,
  holder: "worker-b",
  previous_holder: "worker-a",
  revision: 100 - minutesAgo,
  at: new Date(NOW - minutesAgo * 60_000).toISOString(),
  previous_write_at: null,
  gap_ms: 1_000,
  split_brain,
  ttl_s: 10,
  renew_interval_s: 2,
});

describe("findings rules - split-brain and flapping locks", () => {
  const rules = (transitions: LockTransition[]) => evaluateRules(inputs({ transitions })).conditions.map((c) => [c.rule, c.severity]);

  it("findings - a split-brain within the last hour is critical; an older one is not", () => {
    expect(rules([transition(30, "failover", true)])).toEqual([["lock_split_brain", "critical"]]);
    expect(rules([transition(61, "failover", true)])).toEqual([]);
  });

  it("findings - more than five failovers in five minutes is flapping; five is not", () => {
    const failovers = (n: number) => Array.from({ length: n }, (_, i) => transition(i * 0.5, "failover"));
    expect(rules(failovers(6))).toEqual([["lock_flapping", "warning"]]);
    expect(rules(failovers(5))).toEqual([]);
  });
});

describe("findings rules - handler error spike", () => {
  const handler = (id: string, flagged: boolean): HandlerSummary =>
    ({ handler_id: id, flagged, recent_errored_ratio: 0.4, baseline_errored_ratio: 0.02 }) as HandlerSummary;
  const stats = (computed_at: string | null, ...handlers: HandlerSummary[]): OutcomeStats => ({
    ...emptyOutcomeStats(),
    computed_at,
    handlers: Object.fromEntries(handlers.map((h) => [h.handler_id, h])),
  });

  it("findings - a handler whose errors jumped is a warning linking to its outcomes", () => {
    const { conditions } = evaluateRules(
      inputs({ outcomes: stats("2026-11-23T12:00:00Z", handler("dedup", true), handler("enrich", false)) }),
    );
    expect(conditions).toEqual([
      expect.objectContaining({ id: "handler_error_spike:handler:dedup", severity: "warning", link: "/outcomes?handler=dedup" }),
    ]);
    expect(conditions[0]!.evidence).toBe("errored 40 % of outcomes in the last minutes, against 2 % before");
  });

  it("findings - outcome stats not computed yet are not judged", () => {
    const result = evaluateRules(inputs({ outcomes: stats(null, handler("dedup", true)) }));
    expect(result.conditions).toEqual([]);
    expect(result.judged.has("handler")).toBe(false);
  });
});
