/**
 * Persisted history (docs/history.md): history that outlives the process. Points written by the elected sampler of
 * one busdeck replica are read back by a new replica after a restart, and when leadership moves (SIGKILL of the
 * sampler) every history step is stored once.
 */
import { connect } from "@nats-io/transport-node";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConsumerHistoryRange } from "../../lib/time/persisted-history";
import { stepOf } from "../../lib/time/persisted-history";
import { startReplica, type ReplicaProcess } from "../fleet/replica-process";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { waitFor } from "../../testing/wait-for";

const STEP_MS = 1_000;
const ENV = { BUSDECK_SAMPLE_INTERVAL_MS: "200", BUSDECK_HISTORY_STEP_MS: String(STEP_MS), BUSDECK_FLEET_LEASE_MS: "1500" };

const persisted = async (r: ReplicaProcess, from: number, to: number) =>
  (await (
    await fetch(`http://127.0.0.1:${r.port}/persisted-history?stream=orders&name=billing&from=${from}&to=${to}`)
  ).json()) as ConsumerHistoryRange;

describe("persisted history", () => {
  let nats: NatsServerHandle;
  let admin: NatsConnection;
  const running: ReplicaProcess[] = [];
  const start = async (id: string) => {
    const r = await startReplica(id, { NATS_URL: nats.url, ...ENV });
    running.push(r);
    return r;
  };

  beforeAll(async () => {
    nats = await startNatsServer();
    admin = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(admin);
    await jsm.streams.add({ name: "orders", subjects: ["orders.>"] });
    await jsm.consumers.add("orders", { durable_name: "billing", ack_policy: AckPolicy.Explicit });
    for (let i = 0; i < 7; i++) await jetstream(admin).publish("orders.created", `m${i}`);
  });

  afterAll(async () => {
    await Promise.all(running.map((r) => r.stop()));
    await admin?.close();
    await nats?.stop();
  });

  it("history - points written by one replica are read back by a new one after a restart", async () => {
    const t0 = Date.now();
    const first = await start("history-a");
    const written = await waitFor("five persisted points", async () => {
      const h = await persisted(first, t0, Date.now());
      return h.points.length >= 5 && h;
    });
    expect(written.points[0]).toMatchObject({ lag_msgs: 7, status: expect.any(String) });
    const t1 = written.points.at(-1)!.t + 1;
    await first.stop();

    const second = await start("history-b");
    const reread = await persisted(second, t0, t1);
    expect(reread.points).toEqual(written.points);
    expect(reread.complete).toBe(true);
  });

  it("history - when leadership moves, every step is stored once and in order", async () => {
    const leader = running.at(-1)!;
    const follower = await start("history-c");
    await waitFor("follower receives samples", async () => ((await follower.status())?.samples_received ?? 0) > 3);
    const killedAt = Date.now();
    await leader.kill();
    await waitFor("the follower takes over", async () => (await follower.status())?.role === "leader", 10_000);
    await waitFor("steps written by the new leader", async () => (await persisted(follower, killedAt, Date.now())).points.length >= 3);

    const all = await persisted(follower, 0, Date.now());
    const steps = all.points.map((p) => stepOf(p.t, STEP_MS));
    for (let i = 1; i < steps.length; i++) expect(steps[i]!).toBeGreaterThan(steps[i - 1]!);
    expect(all.points.some((p) => p.t < killedAt) && all.points.some((p) => p.t > killedAt)).toBe(true);
  });
});
