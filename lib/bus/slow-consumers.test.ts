import { describe, expect, it } from "vitest";
import {
  closuresWithin,
  emptySlowConsumerTally,
  MAX_SERVER_WINDOWS,
  MAX_SLOW_CLIENTS,
  RECENT_CLOSURES,
  tallySlowConsumers,
  type Closure,
} from "./slow-consumers";

const T0 = Date.parse("2026-12-07T10:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function closure(cid: number, stoppedS: number, over: Partial<Closure> = {}): Closure {
  return {
    cid,
    name: "demo-slow-subscriber",
    address: `127.0.0.1:${40_000 + cid}`,
    account: "APP",
    reason: "Slow Consumer (Write Deadline)",
    stopped: at(stoppedS),
    ...over,
  };
}

/** A server's closed list as connz sorts it: newest first. */
const window = (server_id: string, ...closed: Closure[]) => ({ server_id, server: `n-${server_id}`, closed });

describe("slow consumers", () => {
  it("slow consumers - a closure counts once while it stays in the server's window; a new one adds to the same client", () => {
    let t = tallySlowConsumers(emptySlowConsumerTally(), [window("A", closure(7, 10))]);
    t = tallySlowConsumers(t, [window("A", closure(7, 10))]);
    expect(t.clients).toHaveLength(1);
    expect(t.clients[0]).toMatchObject({ client: "demo-slow-subscriber", count: 1, first_at: at(10), last_at: at(10), account: "APP" });
    t = tallySlowConsumers(t, [window("A", closure(9, 70), closure(7, 10))]);
    expect(t.clients[0]).toMatchObject({ count: 2, first_at: at(10), last_at: at(70), recent: [at(70), at(10)] });
  });

  it("slow consumers - other closing reasons are not counted; an unnamed client is named by its address", () => {
    const t = tallySlowConsumers(emptySlowConsumerTally(), [
      window("A", closure(3, 5, { reason: "Client Closed" }), closure(2, 4, { name: null, reason: "Slow Consumer (Pending Bytes)" })),
    ]);
    expect(t.clients.map((c) => [c.client, c.named, c.count])).toEqual([["127.0.0.1:40002", false, 1]]);
  });

  it("slow consumers - the same connection id on a restarted server (a new server id) is a new closure", () => {
    let t = tallySlowConsumers(emptySlowConsumerTally(), [window("A", closure(7, 10))]);
    t = tallySlowConsumers(t, [window("A2", closure(7, 90))]);
    expect(t.clients[0]!.count).toBe(2);
  });

  it("slow consumers - a server that misses a sample keeps its window: its closures are not counted again", () => {
    let t = tallySlowConsumers(emptySlowConsumerTally(), [window("A", closure(7, 10)), window("B", closure(1, 11))]);
    t = tallySlowConsumers(t, [window("B", closure(1, 11))]);
    t = tallySlowConsumers(t, [window("A", closure(7, 10)), window("B", closure(1, 11))]);
    expect(t.clients[0]!.count).toBe(2);
  });

  it("slow consumers - bounded: clients, closure times per client and remembered servers", () => {
    const many = Array.from({ length: MAX_SLOW_CLIENTS + 50 }, (_, i) => closure(i + 1, i, { name: `c-${i}` })).reverse();
    let t = tallySlowConsumers(emptySlowConsumerTally(), [window("A", ...many)]);
    expect(t.clients).toHaveLength(MAX_SLOW_CLIENTS);
    // The most recently cut off are kept.
    expect(t.clients[0]!.client).toBe(`c-${MAX_SLOW_CLIENTS + 49}`);
    expect(t.clients.some((c) => c.client === "c-0")).toBe(false);

    const repeated = Array.from({ length: RECENT_CLOSURES + 10 }, (_, i) => closure(i + 1, i)).reverse();
    t = tallySlowConsumers(emptySlowConsumerTally(), [window("A", ...repeated)]);
    expect(t.clients[0]!.count).toBe(RECENT_CLOSURES + 10);
    expect(t.clients[0]!.recent).toHaveLength(RECENT_CLOSURES);
    expect(t.clients[0]!.first_at).toBe(at(0));

    for (let i = 0; i < MAX_SERVER_WINDOWS + 10; i++) t = tallySlowConsumers(t, [window(`S${i}`, closure(1, 1000 + i))]);
    expect(Object.keys(t.windows)).toHaveLength(MAX_SERVER_WINDOWS);
    expect(t.windows[`S${MAX_SERVER_WINDOWS + 9}`]).toEqual([1]);
  });

  it("slow consumers - how often: closures within a window before now", () => {
    const t = tallySlowConsumers(emptySlowConsumerTally(), [window("A", closure(3, 3_500), closure(2, 100), closure(1, 50))]);
    expect(closuresWithin(t.clients[0]!, T0 + 3_600_000, 3_600_000)).toBe(3);
    expect(closuresWithin(t.clients[0]!, T0 + 3_600_000 + 75_000, 3_600_000)).toBe(2);
  });
});
