/**
 * The subject tap on several replicas (docs/architecture.md#sampler-election): two busdeck replicas (child processes
 * running the real runtime) on one real nats-server, the tap on `app.>`. Only the elected sampler holds the tap's
 * subscription — counted in the server's own /connz — and the follower's SSE feed shows the leader's rates; a
 * leader deposed while alive drops its subscription, and when the leader is killed the survivor starts its tap.
 */
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { Kvm } from "@nats-io/kv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openClients, type ClientPool } from "../../testing/sse/sse-clients";
import type { BusSubjectsSnapshot } from "../../lib/bus/subject-tap";
import type { DashboardEvent } from "../../lib/wire/topics";
import { leaseLockValue, leaseTimings } from "../../lib/failover/lease";
import { ownConnectionName } from "../../lib/own-resources";
import { isRevisionConflict } from "../../lib/errors";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { waitFor } from "../../testing/wait-for";
import { startReplica, type ReplicaProcess } from "./replica-process";

const LEASE_MS = 2_000;
const TAP = "app.>";
const SUBJECT = "app.orders.created";

describe("fleet - the subject tap runs on the elected sampler only", () => {
  let nats: NatsServerHandle;
  let admin: NatsConnection;
  let publisher: ReturnType<typeof setInterval>;
  let replicas: ReplicaProcess[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    admin = await connect({ servers: nats.url, name: "test-admin" });
    // 100 msg/s on one subject, for the whole suite: what the tap measures.
    publisher = setInterval(() => {
      for (let i = 0; i < 5; i++) admin.publish(SUBJECT, "x");
    }, 50);
    const env = {
      NATS_URL: nats.url,
      BUSDECK_SAMPLE_INTERVAL_MS: "250",
      BUSDECK_FLEET_LEASE_MS: String(LEASE_MS),
      BUSDECK_SUBJECT_TAP: TAP,
      BUSDECK_HISTORY: "0",
    };
    replicas = await Promise.all(["replica-a", "replica-b"].map((id) => startReplica(id, env)));
  }, 60_000);

  afterAll(async () => {
    clearInterval(publisher);
    await Promise.all(replicas.map((r) => r.stop()));
    await admin?.close();
    await nats?.stop();
  });

  /** Per replica, its connection's subscriptions on the tap's subject, as the server lists them. */
  const tapSubscriptions = async (): Promise<Map<string, number>> => {
    const connz = (await (await fetch(`${nats.monitorUrl}/connz?subs=true&limit=1000`)).json()) as {
      connections: { name?: string; subscriptions_list?: string[] }[];
    };
    const out = new Map<string, number>();
    for (const r of replicas) {
      const conn = connz.connections.find((c) => c.name === ownConnectionName(r.holderId));
      out.set(r.holderId, conn ? (conn.subscriptions_list ?? []).filter((s) => s === TAP).length : -1);
    }
    return out;
  };
  const onlyTapping = async (holderId: string | null) => {
    const subs = await tapSubscriptions();
    return [...subs].every(([id, n]) => n === (id === holderId ? 1 : 0)) && subs;
  };
  const leaderOf = async (among: ReplicaProcess[]) => {
    const states = await Promise.all(among.map(async (r) => ({ r, s: await r.status() })));
    const leaders = states.filter((x) => x.s?.role === "leader");
    return leaders.length === 1 ? leaders[0]!.r : undefined;
  };
  /** The `bus_subjects` snapshots a replica's SSE feed delivers. */
  const watchSubjects = async (r: ReplicaProcess) => {
    const seen: BusSubjectsSnapshot[] = [];
    const pool: ClientPool = await openClients(`http://127.0.0.1:${r.port}/events?topics=bus_subjects`, 1, 1, {
      onData: (data) => {
        const e = JSON.parse(data) as DashboardEvent;
        if (e.type === "state" && e.topic === "bus_subjects") seen.push(e.data);
      },
    });
    return { seen, close: () => pool.close() };
  };
  const rateOf = (snap: BusSubjectsSnapshot | undefined) => snap?.subjects.find((s) => s.subject === SUBJECT)?.msgs_per_s ?? 0;

  it("fleet - only the elected replica subscribes the tap; the follower's feed shows the leader's rates", async () => {
    const leader = await waitFor("one leader", () => leaderOf(replicas));
    const follower = replicas.find((r) => r !== leader)!;
    await waitFor("the leader's tap subscription alone on the server", () => onlyTapping(leader.holderId));
    const feed = await watchSubjects(follower);
    try {
      const shown = await waitFor("the follower shows the leader's rates", () =>
        feed.seen.findLast((s) => s.tapped_by === leader.holderId && rateOf(s) > 50),
      );
      expect(shown.tap.mode).toBe("on");
      expect(shown.tap.active).toEqual([TAP]);
      // Still one tap on the bus: the follower shows it without subscribing.
      expect(await onlyTapping(leader.holderId)).toBeTruthy();
      expect((await follower.status())?.tapping).toBe(false);
      expect((await leader.status())?.tapping).toBe(true);
      // /metrics says which replica taps.
      const metric = async (r: ReplicaProcess) =>
        Number(/^busdeck_fleet_subject_tap (\d)$/m.exec(await (await fetch(`http://127.0.0.1:${r.port}/metrics`)).text())?.[1]);
      expect([await metric(leader), await metric(follower)]).toEqual([1, 0]);
    } finally {
      feed.close();
    }
  });

  it("fleet - a deposed leader stops its tap; the next leader starts its own", async () => {
    const leader = await waitFor("one leader", () => leaderOf(replicas));
    await waitFor("the leader taps", () => onlyTapping(leader.holderId));
    // Another holder takes the lock over (as a peer would): the leader's next renew is refused and it steps down.
    const kv = await new Kvm(admin).open("busdeck_fleet");
    const intruder = new TextEncoder().encode(JSON.stringify(leaseLockValue("intruder", new Date(), leaseTimings(LEASE_MS))));
    await waitFor("the lock taken over", async () => {
      const e = await kv.get("busdeck-sampler");
      try {
        return (await kv.update("busdeck-sampler", intruder, e!.revision)) > 0;
      } catch (err) {
        if (isRevisionConflict(err)) return false; // renewed in between: again
        throw err;
      }
    });
    // While the intruder's lease runs, no replica leads and none taps: the deposed one dropped its subscription.
    await waitFor("the deposed leader's tap gone", async () => (await leader.status())?.role === "follower" && onlyTapping(null));
    const next = await waitFor("a leader after the intruder's lease", () => leaderOf(replicas), LEASE_MS * 5);
    await waitFor("the new leader taps alone", () => onlyTapping(next.holderId));
  });

  it("fleet - killing the leader: the survivor takes over its tap and shows its own rates", async () => {
    const leader = await waitFor("one leader", () => leaderOf(replicas));
    const survivor = replicas.find((r) => r !== leader)!;
    await waitFor("the leader taps alone", () => onlyTapping(leader.holderId));
    const feed = await watchSubjects(survivor);
    try {
      await waitFor("the survivor shows the leader's tap", () => feed.seen.some((s) => s.tapped_by === leader.holderId));
      await leader.kill();
      replicas = [survivor];
      await waitFor("the survivor leads", async () => (await survivor.status())?.role === "leader", LEASE_MS * 5);
      await waitFor("the survivor's tap subscription on the server", () => onlyTapping(survivor.holderId));
      const own = await waitFor("the survivor shows its own tap's rates", () =>
        feed.seen.findLast((s) => s.tapped_by === survivor.holderId && rateOf(s) > 50),
      );
      expect(own.tap.mode).toBe("on");
    } finally {
      feed.close();
    }
  });
});
