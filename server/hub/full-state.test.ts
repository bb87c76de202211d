import { describe, expect, it } from "vitest";
import { consumerRow } from "../../testing/fixtures/consumer";
import type { ConsumerRow } from "../../lib/consumers/types";
import { applyState } from "../../lib/wire/live-cache";
import { packKeyedState, unpackEvent, type StateTopics, type WireEvent } from "../../lib/wire/topics";
import { FullStateCache } from "./full-state";
import { diffKeyed, type KeyedBook } from "./keyed-book";

type Rows = StateTopics["consumer_rows"];
const T0 = Date.parse("2026-12-07T12:00:00Z");
const meta = (ms: number) => ({
  status: "ok" as const,
  sampled_at: new Date(ms).toISOString(),
  duration_ms: 1,
  errors: [],
  own_streams: [],
});

/** A row with an insight: lagging ones have a known oldest message (their lag seconds settle), some a loss brief. */
function row(stream: string, name: string, v: number, lagging: boolean): ConsumerRow {
  return {
    ...consumerRow(stream, name, lagging ? v + 1 : 0),
    insight: {
      lag_seconds: lagging ? 3 : 0,
      lag_seconds_source: lagging ? "interpolated" : "none",
      consume_per_s: v % 3 === 0 ? null : v / 7,
      ingest_per_s: 0,
      drain: { state: lagging ? "never" : "drained", seconds: lagging ? null : 0 },
      health: { status: lagging ? "STALL" : "OK", rule: lagging ? "ack_floor_stuck" : "ok", evidence: `seen ${v % 4}` },
      spark: [v % 5, v % 2, 1],
      ...(lagging ? { oldest_at: T0 - 3_000 - (v % 3) } : {}),
      ...(v % 5 === 0 && lagging ? { loss_brief: { kind: "limit_hit", limit: "max_msgs", value: v } } : {}),
    },
  } as ConsumerRow;
}

/** What the frame says once unpacked, and what the straightforward whole-state frame says. */
const unpacked = (json: string) => unpackEvent(JSON.parse(json) as WireEvent);
const reference = (value: Rows) =>
  unpackEvent(JSON.parse(JSON.stringify(packKeyedState("consumer_rows", applyState("consumer_rows", value)))));

describe("hub whole-state frames", () => {
  it("full state - kept across versions, each frame unpacks to the settled state, whatever changed, went or came in between", () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    let items = Array.from({ length: 60 }, (_, k) => row(`S${k % 4}`, `c${k}`, k, k % 2 === 0));
    let book: KeyedBook | undefined;
    const cache = new FullStateCache("consumer_rows", new WeakMap());
    let next = 60;
    const sizes: number[] = [];
    for (let version = 1; version <= 40; version++) {
      // some rows change (a new object, other figures, another sparkline), some go, some come, the rest are kept
      items = items.flatMap((r) => {
        const roll = rand(10);
        if (roll === 0) return [];
        if (roll <= 2) return [row(r.stream, r.name, rand(1000), rand(2) === 0)];
        return [r];
      });
      for (let k = rand(4); k > 0; k--) items.splice(rand(items.length + 1), 0, row(`S${rand(4)}`, `c${next++}`, next, rand(2) === 0));
      const value: Rows = { meta: meta(T0 + version * 1_000), items };
      book = diffKeyed("consumer_rows", book, value, version, 300);
      if (version % 3 === 0) continue; // versions no client asked for
      const json = cache.frame(value, book.order);
      expect(unpacked(json)).toEqual(reference(value));
      sizes.push((JSON.parse(json) as { packed: { values: unknown[] } }).packed.values.length);
    }
    // freed indices are reused: the dictionary stays near what the rows refer to, not everything ever packed
    expect(Math.max(...sizes)).toBeLessThan(2 * Math.min(...sizes.slice(3)) + 40);
  });

  it("full state - a stuck row's lag seconds brought up to each version's meta, the rest of its tuple reused", () => {
    const stuck = row("S", "stuck", 1, true);
    const cache = new FullStateCache("consumer_rows", new WeakMap());
    let book: KeyedBook | undefined;
    for (const [version, at] of [
      [1, T0],
      [2, T0 + 5_000],
    ] as const) {
      const value: Rows = { meta: meta(at), items: [stuck] };
      book = diffKeyed("consumer_rows", book, value, version, 300);
      const event = unpacked(cache.frame(value, book.order)) as { data: Rows };
      expect(event.data.items[0]!.insight!.lag_seconds).toBe((at - stuck.insight!.oldest_at!) / 1000);
      expect(event).toEqual(reference(value));
    }
  });

  it("full state - a key listed twice and a state with no sample time come out as the straightforward frame does", () => {
    const a = row("S", "a", 1, true);
    const twice: Rows = { meta: { ...meta(T0), sampled_at: null }, items: [a, row("S", "a", 2, false), row("S", "b", 3, true)] };
    const book = diffKeyed("consumer_rows", undefined, twice, 1, 300);
    const cache = new FullStateCache("consumer_rows", new WeakMap());
    expect(unpacked(cache.frame(twice, book.order))).toEqual(reference(twice));
    const once: Rows = { meta: meta(T0), items: [a] };
    const book2 = diffKeyed("consumer_rows", book, once, 2, 300);
    expect(unpacked(cache.frame(once, book2.order))).toEqual(reference(once));
    expect(
      (JSON.parse(cache.frame(once, book2.order)) as { packed: { values: unknown[] } }).packed.values.filter((v) => v !== null).length,
    ).toBe(
      (JSON.parse(JSON.stringify(packKeyedState("consumer_rows", applyState("consumer_rows", once)))) as { packed: { values: unknown[] } })
        .packed.values.length,
    );
  });
});
