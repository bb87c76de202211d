import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import type { LockTransition } from "../../lib/failover/lock-transitions";
import { Hub } from "../hub/hub";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { startLockWatcher } from "../watchers/lock-watcher";
import { createFailoverService, type FailoverService } from "./failover-service";
import { waitFor as until } from "../../testing/wait-for";

const RENEW_MS = 150;
const TTL_MS = 600;
const POLL_MS = 100;
const BUCKET = "race-locks";

const lockValue = (holder: string) =>
  new TextEncoder().encode(JSON.stringify({ holder_id: holder, ttl_s: TTL_MS / 1000, renew_interval_s: RENEW_MS / 1000 }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A singleton replica (docs/contracts.md#singleton-locks): create when free, take over when the holder's last write
 * is older than the ttl, renew with update-with-revision while active. `stop()` is a crash: no release, the lock is
 * left to expire.
 */
class Replica {
  writes: { revision: number; at: number }[] = [];
  private running = true;
  private revision = 0;
  constructor(
    private readonly kv: KV,
    readonly id: string,
  ) {}

  get active() {
    return this.revision > 0;
  }

  async run() {
    while (this.running) {
      if (!this.active) await this.tryAcquire();
      else await this.renew();
      await sleep(this.active ? RENEW_MS : POLL_MS);
    }
  }

  private async tryAcquire() {
    try {
      const e = await this.kv.get("dedup");
      if (!e || e.operation !== "PUT") this.revision = await this.kv.create("dedup", lockValue(this.id));
      else if (Date.now() - e.created.getTime() > TTL_MS) this.revision = await this.kv.update("dedup", lockValue(this.id), e.revision);
      else return;
      this.writes.push({ revision: this.revision, at: Date.now() });
    } catch {
      this.revision = 0; // lost the race
    }
  }

  private async renew() {
    try {
      this.revision = await this.kv.update("dedup", lockValue(this.id), this.revision);
      this.writes.push({ revision: this.revision, at: Date.now() });
    } catch {
      this.revision = 0;
    }
  }

  stop() {
    this.running = false;
  }
}

describe("failover watcher against a real nats-server", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let kv: KV;
  const stops: (() => void)[] = [];

  const startWatching = (hub: Hub): FailoverService => {
    const failover = createFailoverService({ hub, tickMs: 100 });
    failover.start(nc, () => jetstreamManager(nc));
    stops.push(() => failover.stop(), startLockWatcher({ nc, hub, buckets: [BUCKET], failover, retryMs: 200 }));
    return failover;
  };
  const lockTransitions = (f: FailoverService): LockTransition[] =>
    f.store.query({ from: 0, to: Date.now() + 60_000 }).entries.flatMap((e) => (e.source === "lock" ? [e.transition] : []));

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    kv = await new Kvm(nc).create(BUCKET, { history: 5 });
  });

  afterAll(async () => {
    stops.forEach((s) => s());
    await nc?.close();
    await server?.stop();
  });

  it("failover - two replicas race, the active one stops, exactly one failover is recorded with holders and gap", async () => {
    const hub = new Hub();
    const failover = startWatching(hub);
    const a = new Replica(kv, "replica-a");
    const b = new Replica(kv, "replica-b");
    const runs = [a.run(), b.run()];
    const first = await until("one replica to acquire", () => (a.active ? a : b.active ? b : null));
    const second = first === a ? b : a;
    await sleep(RENEW_MS * 5); // a few renews, while the other polls and loses
    first.stop();
    await until("the passive replica to take over", () => second.active);
    // Keep renewing a little so late events would show up as extra transitions if the classifier were wrong.
    await sleep(RENEW_MS * 4);
    second.stop();
    await Promise.all(runs);

    const failovers = await until("the failover to be recorded", () => {
      const f = lockTransitions(failover).filter((t) => t.kind === "failover");
      return f.length ? f : null;
    });
    expect(failovers).toHaveLength(1);
    const [fo] = failovers;
    const lastOld = first.writes.at(-1)!;
    const firstNew = second.writes[0]!;
    expect(fo).toMatchObject({
      key: "dedup",
      previous_holder: first.id,
      holder: second.id,
      revision: firstNew.revision,
      split_brain: false,
    });
    // The gap is measured between the KV write times: the old holder's last renew → the new holder's takeover.
    expect(fo!.gap_ms).toBeGreaterThan(TTL_MS);
    expect(Math.abs(fo!.gap_ms! - (firstNew.at - lastOld.at))).toBeLessThan(100);
    expect(lockTransitions(failover).map((t) => t.kind)).toEqual(["acquire", "failover"]);

    const state = await until("singleton state with the new holder", () =>
      hub.getState("singletons")?.singletons.find((s) => s.holder === second.id),
    );
    expect(state).toMatchObject({ key: "dedup", renew_interval_ms: RENEW_MS, lease_ms: TTL_MS, candidates: [first.id] });
  });

  it("failover - a restarted dashboard restores the timeline from its stream without recording anything twice", async () => {
    const failover = startWatching(new Hub());
    await failover.ready;
    await until("the bucket history to be replayed", () => lockTransitions(failover).length >= 2);
    await sleep(300);
    expect(lockTransitions(failover).map((t) => t.kind)).toEqual(["acquire", "failover"]);
    const info = await (await jetstreamManager(nc)).streams.info("BUSDECK_LOCK_TRANSITIONS");
    expect(info.state.messages).toBe(2);
  });
});
