/**
 * The demo against a real nats-server, with compressed timings: everything the dashboard views rely on
 * (streams, consumer behaviours, outcome kinds, lock failovers) must actually happen, not just be configured.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import { nanos, type NatsConnection, type Subscription } from "@nats-io/nats-core";
import { AckPolicy, jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { OUTCOME_STREAM, parseOutcome, type OutcomeRecord } from "../../lib/outcomes/outcome";
import { parseLockValue } from "../../lib/failover/locks";
import { startDemo, FAST_DEMO_TIMINGS, type DemoHandle } from "./index";
import { DEMO_CONSUMERS, METRICS_POISON_P, messageClass } from "./consumers";
import { DEMO_STREAMS, LLM_STREAM, SENSORY_STREAM } from "./streams";
import { waitFor } from "../../testing/wait-for";

const SEED = 42;

describe("demo workload (integration)", () => {
  let srv: NatsServerHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let demo: DemoHandle | undefined;
  const outcomes: OutcomeRecord[] = [];
  const outcomeHeaders: (string | undefined)[] = [];
  const maxDeliveries: unknown[] = [];
  const subs: Subscription[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    srv = await startNatsServer();
    nc = await connect({ servers: srv.url });
    jsm = await jetstreamManager(nc);
    // Subscribe before starting so the first outcomes (and the first malformed one) are not missed.
    subs.push(
      nc.subscribe("reflex.outcome.>", {
        callback: (_err, m) => {
          outcomes.push(
            parseOutcome({ id: String(outcomes.length), subject: m.subject, data: m.data, received_at: new Date().toISOString() }),
          );
          outcomeHeaders.push(m.headers?.get("Nats-Msg-Id"));
        },
      }),
      nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${LLM_STREAM}.metrics-consumer`, {
        callback: (_err, m) => {
          maxDeliveries.push(m.json());
        },
      }),
    );
    demo = await startDemo(nc, { seed: SEED, rate: 4, timings: FAST_DEMO_TIMINGS, log: (m) => logs.push(m) });
  });

  afterAll(async () => {
    const started = Date.now();
    await demo?.stop();
    const stopMs = Date.now() - started;
    subs.forEach((s) => s.unsubscribe());
    await nc?.close();
    await srv?.stop();
    // stop() must not wait out fetch expiries or lock timers.
    expect(stopMs).toBeLessThan(1_500);
  });

  it("creates the five streams and four consumers with the seeds' configuration", async () => {
    for (const spec of DEMO_STREAMS) {
      const { config } = await jsm.streams.info(spec.name);
      expect(config.subjects).toEqual(spec.subjects);
      expect(config.retention).toBe("limits");
      expect(config.storage).toBe("file");
      expect(config.num_replicas).toBe(1);
      expect(config.max_age).toBe(nanos(spec.maxAgeMs));
      expect(config.max_bytes).toBe(spec.maxBytes);
    }
    expect(DEMO_STREAMS.map((s) => s.name).sort()).toEqual(
      ["llm-requests", "memory-events", "routing-decisions", OUTCOME_STREAM, SENSORY_STREAM].sort(),
    );
    const seedConfig = {
      "api-consumer": { stream: "routing-decisions", filter: "routing.>", ackWaitS: 30, maxDeliver: 3 },
      "analytics-consumer": { stream: "routing-decisions", filter: "routing.>", ackWaitS: 60, maxDeliver: 5 },
      "consolidation-consumer": { stream: "memory-events", filter: "memory.consolidated", ackWaitS: 120, maxDeliver: 3 },
      "metrics-consumer": { stream: "llm-requests", filter: "llm.>", ackWaitS: 30, maxDeliver: 3 },
    };
    expect(DEMO_CONSUMERS.map((c) => c.name).sort()).toEqual(Object.keys(seedConfig).sort());
    for (const [name, want] of Object.entries(seedConfig)) {
      const { config } = await jsm.consumers.info(want.stream, name);
      expect(config.durable_name).toBe(name);
      expect(config.filter_subject).toBe(want.filter);
      expect(config.ack_policy).toBe(AckPolicy.Explicit);
      expect(config.ack_wait).toBe(nanos(want.ackWaitS * 1000));
      expect(config.max_deliver).toBe(want.maxDeliver);
      expect(config.deliver_subject).toBeUndefined();
    }
  });

  it("is idempotent: starting a second demo on the same server reuses everything", async () => {
    const second = await startDemo(nc, { seed: SEED + 1, rate: 0.1, timings: FAST_DEMO_TIMINGS });
    const t0 = Date.now();
    await second.stop();
    // Stopping right after start catches pull requests still being set up: they must not wait out their expiry.
    expect(Date.now() - t0).toBeLessThan(500);
    const names = await jsm.streams.names().next();
    expect(names.filter((n) => !n.startsWith("KV_")).sort()).toEqual(DEMO_STREAMS.map((s) => s.name).sort());
  });

  it("publishes on every stream and the consumers deliver", async () => {
    for (const spec of DEMO_STREAMS) {
      await waitFor(`messages in ${spec.name}`, async () => (await jsm.streams.info(spec.name)).state.messages > 0);
    }
    await waitFor(
      "api-consumer deliveries",
      async () => (await jsm.consumers.info("routing-decisions", "api-consumer")).delivered.stream_seq > 0,
    );
    await waitFor(
      "metrics-consumer deliveries",
      async () => (await jsm.consumers.info(LLM_STREAM, "metrics-consumer")).delivered.stream_seq > 0,
    );
    const msg = await jsm.streams.getMessage("routing-decisions", { last_by_subj: "routing.model.selected" });
    expect(msg?.header?.get("Content-Type")).toBe("application/json");
    expect(msg?.header?.get("Nats-Msg-Id")).toMatch(/:selected$/);
    expect(msg?.json<Record<string, unknown>>()).toMatchObject({ selectedModel: expect.any(String), alternatives: expect.any(Array) });
  });

  it("emits logged, errored and malformed outcomes linked to stored sensory events", async () => {
    await waitFor("logged, errored and malformed outcomes", () => {
      const valid = outcomes.filter((o) => o.valid);
      return valid.some((o) => o.body.kind === "logged") && valid.some((o) => o.body.kind === "errored") && outcomes.some((o) => !o.valid);
    });
    expect(outcomeHeaders.every((h) => typeof h === "string" && h.length > 0)).toBe(true);
    const errored = outcomes.find((o) => o.valid && o.body.kind === "errored");
    if (!errored?.valid) throw new Error("unreachable");
    expect(errored.body.severity).toBe("high");
    expect(errored.body.diagnostic).toMatch(/^(\.\.\. \[traceback truncated\] \.\.\.\n|Traceback \(most recent call last\):\n)/);
    const logged = outcomes.find((o) => o.valid && o.body.kind === "logged");
    if (!logged?.valid) throw new Error("unreachable");
    // The triggering event is stored, under the id the outcome carries.
    const stored = await waitFor("the triggering sensory event in its stream", () =>
      jsm.streams.getMessage(SENSORY_STREAM, { last_by_subj: logged.body.event.subject }).then((m) => m ?? undefined),
    );
    expect(stored.header?.get("Nats-Msg-Id")).toBeTruthy();
    expect(logged.body.event.id).toBeTruthy();
    await waitFor(
      "the outcome stream capturing outcomes",
      async () => (await jsm.streams.info(OUTCOME_STREAM)).state.messages >= outcomes.length / 2,
    );
  });

  it("fails the dedup lock over to another holder", async () => {
    const kv = await new Kvm(nc).open("locks");
    const holders: string[] = [];
    const watch = await kv.watch({ key: "dedup" });
    const collecting = (async () => {
      for await (const e of watch) {
        if (e.operation !== "PUT") continue;
        const parsed = parseLockValue(e.value);
        if (parsed.valid) holders.push(parsed.value.holder_id);
      }
    })();
    try {
      await waitFor("a change of dedup holder", () => holders.some((h, i) => i > 0 && h !== holders[i - 1]), 15_000);
    } finally {
      watch.stop();
      await collecting;
    }
    expect(new Set(holders)).toEqual(new Set(["dedup-0", "dedup-1"]));
    const current = await kv.get("dedup");
    if (current?.operation === "PUT") {
      const v = parseLockValue(current.value);
      expect(v).toMatchObject({
        valid: true,
        value: { ttl_s: FAST_DEMO_TIMINGS.lockTtlMs / 1000, renew_interval_s: FAST_DEMO_TIMINGS.lockRenewMs / 1000 },
      });
    }
  });

  it("lets analytics-consumer fall behind", async () => {
    const pending = async () => (await jsm.consumers.info("routing-decisions", "analytics-consumer")).num_pending;
    const first = await pending();
    await waitFor("analytics-consumer num_pending to grow", async () => (await pending()) > first + 5, 10_000);
  });

  it("drives poison messages on metrics-consumer into max-deliver advisories", async () => {
    // The seed fixes which stream sequences are poison; make sure this seed has one early, or the test is meaningless.
    const firstPoison = Array.from({ length: 100 }, (_, i) => i + 1).find((seq) => messageClass(SEED, LLM_STREAM, seq) < METRICS_POISON_P);
    expect(firstPoison).toBeLessThan(40);
    await waitFor("a max-deliveries advisory", () => maxDeliveries.length > 0, 10_000);
    expect(maxDeliveries[0]).toMatchObject({ stream: LLM_STREAM, consumer: "metrics-consumer", deliveries: 3 });
  });

  it("recreates a stream and its consumer deleted from under it", async () => {
    await jsm.streams.delete(LLM_STREAM);
    await waitFor(
      "llm-requests and metrics-consumer to come back with traffic",
      async () => {
        const info = await jsm.consumers.info(LLM_STREAM, "metrics-consumer");
        return info.delivered.stream_seq > 0;
      },
      20_000,
    );
  });

  it("keeps going across a nats-server crash and restart", async () => {
    const before = (await jsm.streams.info("routing-decisions")).state.last_seq;
    await srv.crash();
    await srv.restart();
    await waitFor(
      "routing traffic after the restart",
      async () => (await jsm.streams.info("routing-decisions")).state.last_seq > before + 10,
      20_000,
    );
    await waitFor(
      "api-consumer to catch up after the restart",
      async () => {
        const c = await jsm.consumers.info("routing-decisions", "api-consumer");
        return c.delivered.stream_seq > before;
      },
      10_000,
    );
  });
});

describe("demo workload when the lock bucket cannot be created at first (integration)", () => {
  it("keeps trying and starts its singletons once the bucket opens", async () => {
    const srv = await startNatsServer();
    const nc = await connect({ servers: srv.url });
    const logs: string[] = [];
    let demo: DemoHandle | undefined;
    try {
      const jsm = await jetstreamManager(nc);
      // A stream already capturing the bucket's subjects makes creating KV_locks fail, as a cluster without a
      // meta leader yet does ("jetstream is not enabled").
      await jsm.streams.add({ name: "BLOCKS_LOCKS", subjects: ["$KV.locks.>"] });
      demo = await startDemo(nc, { seed: SEED, rate: 1, timings: FAST_DEMO_TIMINGS, log: (m) => logs.push(m) });
      await waitFor(
        "a failed attempt at the lock bucket",
        () => logs.some((l) => /kv bucket locks: could not open: .*retrying/.test(l)),
        10_000,
      );
      await jsm.streams.delete("BLOCKS_LOCKS");
      const kv = await waitFor(
        "the lock bucket",
        () => new Kvm(nc).open("locks").then(async (b) => ((await b.status()) ? b : null)),
        20_000,
      );
      const held = await waitFor(
        "a singleton holding its lock",
        async () => {
          const entry = await kv.get("dedup");
          const parsed = entry?.operation === "PUT" ? parseLockValue(entry.value) : null;
          return parsed?.valid ? parsed.value.holder_id : null;
        },
        20_000,
      );
      expect(held).toMatch(/^dedup-\d$/);
    } finally {
      await demo?.stop();
      await nc.close();
      await srv.stop();
    }
  });
});
