import { describe, expect, it } from "vitest";
import { leaseTimings } from "../../lib/failover/lease";
import { startElection, type Election, type LockKv } from "./election";

/** A fake clock: sleeps resolve only when the test advances time past them. */
function fakeClock() {
  let now = 0;
  const waiters: { due: number; resolve: () => void }[] = [];
  const flush = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((resolve) => waiters.push({ due: now + ms, resolve })),
    /** Advances in 1 ms steps so every loop runs at its due time. */
    async advance(ms: number, each?: () => void) {
      for (let i = 0; i < ms; i++) {
        now++;
        for (const w of waiters.splice(0).filter((w) => (w.due <= now ? (w.resolve(), false) : true))) waiters.push(w);
        await flush();
        each?.();
      }
    },
  };
}

/** In-memory KV with NATS's compare-and-set semantics; `down` makes one client's calls fail like a dead link. */
function memoryKv(clock: { now: () => number }) {
  let entry: { value: Uint8Array; revision: number; created: Date; operation: "PUT" | "DEL" } | null = null;
  let revision = 0;
  const conflict = () => Object.assign(new Error("wrong last sequence"), { code: 10071 });
  const client = (isDown: () => boolean): LockKv => {
    const guard = () => {
      if (isDown()) throw new Error("connection closed");
    };
    const write = (value: Uint8Array, operation: "PUT" | "DEL") => {
      entry = { value, revision: ++revision, created: new Date(clock.now()), operation };
      return revision;
    };
    return {
      get: async (_key) => (guard(), entry),
      create: async (_key, value) => {
        guard();
        if (entry && entry.operation === "PUT") throw conflict();
        return write(value, "PUT");
      },
      update: async (_key, value, rev) => {
        guard();
        if (!entry || entry.revision !== rev) throw conflict();
        return write(value, "PUT");
      },
      delete: async (_key, { previousSeq }) => {
        guard();
        if (!entry || entry.revision !== previousSeq) throw conflict();
        write(new Uint8Array(), "DEL");
      },
    };
  };
  return { client };
}

const timings = leaseTimings(3_000); // renew 1,000, poll 500

function replica(id: string, kv: LockKv, clock: ReturnType<typeof fakeClock>) {
  const events: { at: number; what: "elected" | "deposed" }[] = [];
  const election: Election = startElection({
    kv,
    key: "busdeck-sampler",
    holderId: id,
    timings,
    now: clock.now,
    sleep: clock.sleep,
    onElected: () => events.push({ at: clock.now(), what: "elected" }),
    onDeposed: () => events.push({ at: clock.now(), what: "deposed" }),
  });
  return { id, election, events, leading: () => election.state().role === "leader" };
}

describe("sampler election", () => {
  it("election - one of two replicas wins and keeps the lock by renewing", async () => {
    const clock = fakeClock();
    const kv = memoryKv(clock);
    const a = replica(
      "a",
      kv.client(() => false),
      clock,
    );
    const b = replica(
      "b",
      kv.client(() => false),
      clock,
    );
    await clock.advance(10_000);
    expect([a.leading(), b.leading()].filter(Boolean)).toHaveLength(1);
    const winner = a.leading() ? a : b;
    expect(winner.events).toEqual([{ at: expect.any(Number), what: "elected" }]);
    expect(winner.election.state().revision).toBeGreaterThan(8); // renewed about once a second
  });

  it("election - a crashed leader is replaced within one lease of its last renew, never overlapping", async () => {
    const clock = fakeClock();
    const kv = memoryKv(clock);
    let aDown = false;
    const a = replica(
      "a",
      kv.client(() => aDown),
      clock,
    );
    await clock.advance(100);
    const b = replica(
      "b",
      kv.client(() => false),
      clock,
    );
    await clock.advance(2_000);
    expect(a.leading()).toBe(true);
    const crashAt = clock.now();
    aDown = true;
    let overlap = false;
    await clock.advance(6_000, () => (overlap ||= a.leading() && b.leading()));
    expect(overlap).toBe(false);
    const elected = b.events.find((e) => e.what === "elected")!;
    expect(elected.at - crashAt).toBeLessThanOrEqual(timings.leaseMs + 1);
    // a cannot renew and steps down by itself before b's takeover could happen
    const deposed = a.events.find((e) => e.what === "deposed")!;
    expect(deposed.at).toBeLessThan(elected.at);
  });

  it("election - a clean stop releases the lock and the peer takes over at its next poll", async () => {
    const clock = fakeClock();
    const kv = memoryKv(clock);
    const a = replica(
      "a",
      kv.client(() => false),
      clock,
    );
    await clock.advance(100);
    const b = replica(
      "b",
      kv.client(() => false),
      clock,
    );
    await clock.advance(1_000);
    const stopping = a.election.stop();
    await clock.advance(1);
    await stopping;
    const releasedAt = clock.now();
    await clock.advance(1_000);
    const elected = b.events.find((e) => e.what === "elected")!;
    expect(elected.at - releasedAt).toBeLessThanOrEqual(timings.pollMs);
  });

  it("election - a deposed leader whose renew is refused (taken over) steps down at once", async () => {
    const clock = fakeClock();
    const kv = memoryKv(clock);
    const a = replica(
      "a",
      kv.client(() => false),
      clock,
    );
    await clock.advance(100);
    // someone overwrote the lock (an operator, or a peer after a long pause of a)
    const intruder = kv.client(() => false);
    const entry = (await intruder.get("busdeck-sampler"))!;
    await intruder.update("busdeck-sampler", new TextEncoder().encode(JSON.stringify({ holder_id: "x", ttl_s: 3 })), entry.revision);
    await clock.advance(timings.renewMs + 1);
    expect(a.leading()).toBe(false);
    expect(a.election.state().role).toBe("follower");
  });
});
