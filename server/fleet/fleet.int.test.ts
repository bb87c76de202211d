/**
 * Replicas (docs/deployment.md#running-several-replicas): three busdeck replicas (child processes running the real
 * runtime) on one real nats-server. Exactly one samples JetStream — counted on the wire per replica — and the
 * others show its samples; after the leader is killed (SIGKILL: no release, the lock must expire) another takes
 * over within the lease, and an SSE client on a surviving replica keeps receiving consumers with no sample recorded
 * twice.
 */
import { connect } from "@nats-io/transport-node";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openClients, type ClientPool } from "../../testing/sse/sse-clients";
import type { ConsumerHistoryResponse } from "../../lib/consumers/series";
import type { DashboardEvent } from "../../lib/wire/topics";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { waitFor } from "../../testing/wait-for";
import { SAMPLING_API, auditApiRequests, startReplica, type ApiAudit, type ReplicaProcess } from "./replica-process";

const LEASE_MS = 2_000;
const INTERVAL_MS = 250;
/** The test's own streams (each replica's KV watches add ephemeral consumers of their own elsewhere). */
const APP_STREAMS = ["orders", "payments"];

const leaderOf = async (replicas: ReplicaProcess[]) => {
  const states = await Promise.all(replicas.map(async (r) => ({ r, s: await r.status() })));
  const leaders = states.filter((x) => x.s?.role === "leader");
  return leaders.length === 1 ? leaders[0]!.r : undefined;
};

describe("fleet - one elected sampler, many replicas", () => {
  let nats: NatsServerHandle;
  let admin: NatsConnection;
  let audit: ApiAudit;
  let replicas: ReplicaProcess[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    admin = await connect({ servers: nats.url, name: "test-admin" });
    const jsm = await jetstreamManager(admin);
    const js = jetstream(admin);
    for (const s of APP_STREAMS) {
      await jsm.streams.add({ name: s, subjects: [`${s}.>`] });
      for (const c of ["billing", "audit"]) await jsm.consumers.add(s, { durable_name: c, ack_policy: AckPolicy.Explicit });
      for (let i = 0; i < 5; i++) await js.publish(`${s}.created`, `m${i}`);
    }
    audit = auditApiRequests(admin);
    await admin.flush();
    const env = { NATS_URL: nats.url, BUSDECK_SAMPLE_INTERVAL_MS: String(INTERVAL_MS), BUSDECK_FLEET_LEASE_MS: String(LEASE_MS) };
    replicas = await Promise.all(["replica-a", "replica-b", "replica-c"].map((id) => startReplica(id, env)));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    audit?.stop();
    await admin?.close();
    await nats?.stop();
  });

  it("fleet - exactly one replica samples JetStream; the others receive its samples", async () => {
    const leader = await waitFor("one leader", () => leaderOf(replicas));
    const followers = replicas.filter((r) => r !== leader);
    await waitFor("followers receive samples", async () =>
      (await Promise.all(followers.map((f) => f.status()))).every((s) => (s?.samples_received ?? 0) > 2),
    );
    audit.reset();
    await new Promise((r) => setTimeout(r, 2_000));
    // A leader that stepped down in between would make this figure meaningless: it must still be the leader.
    expect(await leaderOf(replicas)).toBe(leader);
    expect(audit.count(leader.holderId, SAMPLING_API)).toBeGreaterThanOrEqual(4);
    for (const f of followers) expect(audit.count(f.holderId, SAMPLING_API), `${f.holderId} sampled`).toBe(0);
    // /metrics tells which replica samples: exactly one reports 1
    const sampler = await Promise.all(
      replicas.map(async (r) =>
        Number(/^busdeck_fleet_sampler (\d)$/m.exec(await (await fetch(`http://127.0.0.1:${r.port}/metrics`)).text())?.[1]),
      ),
    );
    expect(sampler.sort()).toEqual([0, 0, 1]);
  });

  it("fleet - killing the leader: another samples within the lease and SSE clients on survivors keep receiving", async () => {
    const leader = await waitFor("one leader", () => leaderOf(replicas));
    const survivors = replicas.filter((r) => r !== leader);
    const watched = survivors[0]!;
    const consumerEvents: { at: number; sampledAt: string; names: string[] }[] = [];
    const client: ClientPool = await openClients(`http://127.0.0.1:${watched.port}/events?topics=consumers`, 1, 1, {
      onData: (data, receivedAt) => {
        const e = JSON.parse(data) as DashboardEvent;
        if (e.type === "state" && e.topic === "consumers" && e.data.sampled_at) {
          consumerEvents.push({
            at: receivedAt,
            sampledAt: e.data.sampled_at,
            names: e.data.consumers
              .filter((c) => APP_STREAMS.includes(c.stream))
              .map((c) => `${c.stream}/${c.name}`)
              .sort(),
          });
        }
      },
    });
    try {
      await waitFor("consumers over SSE before the kill", () => consumerEvents.length >= 2);
      const before = consumerEvents.at(-1)!;
      expect(before.names).toEqual(["orders/audit", "orders/billing", "payments/audit", "payments/billing"]);

      const killedAt = Date.now();
      await leader.kill();
      replicas = survivors;
      const next = await waitFor("a new leader", () => leaderOf(survivors), LEASE_MS * 5);
      const electedWithin = Date.now() - killedAt;
      // One lease from the dead leader's last renew (which preceded the kill), plus the status poll's step.
      expect(electedWithin).toBeLessThanOrEqual(LEASE_MS + 500);

      audit.reset();
      await waitFor("the new leader samples", () => audit.count(next.holderId, SAMPLING_API) >= 4, LEASE_MS * 3);
      const other = survivors.find((r) => r !== next)!;
      expect(audit.count(other.holderId, SAMPLING_API)).toBe(0);
      expect(audit.count(leader.holderId)).toBe(0);

      // The SSE client on the survivor: a pause of at most about a lease, then the same consumers again.
      await waitFor("consumers over SSE after the takeover", () =>
        consumerEvents.some((e) => e.at > killedAt + 100 && Date.parse(e.sampledAt) > killedAt),
      );
      const after = consumerEvents.filter((e) => Date.parse(e.sampledAt) > killedAt);
      expect(after[0]!.names).toEqual(before.names);
      const gap = after[0]!.at - before.at;
      expect(gap).toBeLessThanOrEqual(LEASE_MS + 1_000);
      const sampledAts = consumerEvents.map((e) => e.sampledAt);
      expect(new Set(sampledAts).size).toBe(sampledAts.length);

      // The survivor's chart series: every sample recorded once, in order, across both leaders.
      const history = (await (
        await fetch(`http://127.0.0.1:${watched.port}/consumer-history?stream=orders&name=billing`)
      ).json()) as ConsumerHistoryResponse;
      const ts = history.points.map((p) => p.t);
      expect(ts.some((t) => t < killedAt) && ts.some((t) => t > killedAt)).toBe(true);
      for (let i = 1; i < ts.length; i++) expect(ts[i]!).toBeGreaterThan(ts[i - 1]!);
    } finally {
      client.close();
    }
  });
});

describe("fleet - a leader alone publishes no samples", () => {
  it("fleet - samples go on the wire only while another replica says hello", async () => {
    const nats = await startNatsServer();
    const watcher = await connect({ servers: nats.url, name: "test-watcher" });
    let published = 0;
    watcher.subscribe("busdeck.sample.consumers", { callback: () => void published++ });
    await watcher.flush();
    const env = { NATS_URL: nats.url, BUSDECK_SAMPLE_INTERVAL_MS: String(INTERVAL_MS), BUSDECK_FLEET_LEASE_MS: String(LEASE_MS) };
    const started: ReplicaProcess[] = [];
    try {
      const alone = await startReplica("replica-alone", env);
      started.push(alone);
      await waitFor("the lone replica to sample a few times", async () => ((await alone.status())?.samples_taken ?? 0) >= 4);
      expect(published).toBe(0);
      started.push(await startReplica("replica-second", env));
      await waitFor("samples on the wire once a second replica listens", () => published > 0);
    } finally {
      await Promise.all(started.map((r) => r.stop()));
      await watcher.close();
      await nats.stop();
    }
  }, 60_000);
});
