import { afterEach, describe, expect, it, vi } from "vitest";
import { unpackEvent, type DashboardEvent, type WireEvent } from "../../lib/wire/topics";
import { consumerRow } from "../../testing/fixtures/consumer";
import { rawOutcome } from "../../testing/fixtures/outcome";
import { toOutcomeRow } from "../../lib/outcomes/outcome";
import { DeferredFeedItem, Hub, type HubSink } from "./hub";

class FakeSink implements HubSink {
  chunks: string[] = [];
  backedUp = false;
  closedWith: string | null = null;
  write(chunk: Uint8Array | string) {
    this.chunks.push(typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk));
  }
  isBackedUp() {
    return this.backedUp;
  }
  close(reason: string) {
    this.closedWith = reason;
  }
  events(): DashboardEvent[] {
    return this.chunks
      .filter((c) => c.includes("data: {"))
      .map((c) => unpackEvent(JSON.parse(c.slice(c.indexOf("data: ") + 6)) as WireEvent));
  }
  ids(): number[] {
    return this.chunks.flatMap((c) => (/^id: (\d+)/.exec(c) ? [Number(/^id: (\d+)/.exec(c)![1])] : []));
  }
  clear() {
    this.chunks = [];
  }
}

const itemIds = (e: DashboardEvent | undefined) => (e && "items" in e ? (e.items as { id?: string }[]).map((o) => o.id) : []);

const conn = (reconnects: number) => ({
  status: "connected" as const,
  server: "127.0.0.1:4222",
  server_name: "n1",
  cluster: null,
  version: "2.9.10",
  jetstream: true,
  rtt_ms: 1,
  reconnects,
  since: "2026-01-01T00:00:00.000Z",
  last_error: null,
  mode: "embedded" as const,
  demo: true,
});

const outcome = (i: number) => rawOutcome(i);

describe("hub", () => {
  it("hub - a new client gets retry, hello, current states and a feed snapshot", () => {
    const hub = new Hub();
    hub.publishState("connection", conn(0));
    hub.appendFeed("outcomes", [outcome(1), outcome(2)]);
    const sink = new FakeSink();
    hub.subscribe(sink, ["connection", "outcomes"]);
    expect(sink.chunks[0]).toBe("retry: 2000\n\n");
    const types = sink.events().map((e) => `${e.type}:${"topic" in e ? e.topic : ""}`);
    expect(types).toEqual(["hello:", "state:connection", "feed_reset:outcomes"]);
    expect(itemIds(sink.events()[2])).toEqual(["1", "2"]);
    hub.close();
  });

  it("hub - coalesces 1,000 state changes between flushes into one event with the latest value", () => {
    let now = 0;
    const hub = new Hub({ now: () => now });
    const sink = new FakeSink();
    hub.subscribe(sink, ["connection"]);
    hub.publishState("connection", conn(0));
    now = 100;
    hub.flush();
    sink.clear();
    for (let i = 1; i <= 1000; i++) hub.publishState("connection", conn(i));
    now = 200;
    hub.flush();
    const events = sink.events();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "state", topic: "connection", data: { reconnects: 1000 } });
    expect(hub.stats.states_coalesced).toBe(999);
    hub.close();
  });

  it("hub - states reach a client at most once per state interval while feed items flush every tick", () => {
    let now = 0;
    const hub = new Hub({ now: () => now, flushIntervalMs: 50, stateIntervalMs: 100 });
    const sink = new FakeSink();
    hub.subscribe(sink, ["connection", "outcomes"]);
    sink.clear();
    const sent = { state: 0, feed: 0 };
    for (let tick = 1; tick <= 20; tick++) {
      now = tick * 50; // one second of 50 ms flushes
      hub.publishState("connection", conn(tick));
      hub.appendFeed("outcomes", [outcome(tick)]);
      hub.flush();
    }
    for (const e of sink.events()) {
      if (e.type === "state") sent.state++;
      else sent.feed++;
    }
    expect(sent.feed).toBe(20);
    expect(sent.state).toBe(10);
    hub.close();
  });

  it("hub - outcome rows travel packed (no per-row keys on the wire) and unpack to the rows appended", () => {
    const hub = new Hub();
    const sink = new FakeSink();
    hub.subscribe(sink, ["outcome_rows"]);
    sink.clear();
    const rows = [toOutcomeRow(rawOutcome(1)), toOutcomeRow({ ...rawOutcome(2), stream_seq: 2 })];
    hub.appendFeed("outcome_rows", rows);
    hub.flush();
    expect(sink.chunks.join("")).toContain('"packed"');
    expect(sink.chunks.join("")).not.toContain('"handler_id"');
    expect(sink.events()).toEqual([{ type: "feed_append", topic: "outcome_rows", items: rows }]);
    hub.close();
  });

  it("hub - batches feed items appended between flushes into one append, in order", () => {
    const hub = new Hub();
    const sink = new FakeSink();
    hub.subscribe(sink, ["outcomes"]);
    sink.clear();
    hub.appendFeed("outcomes", [outcome(1)]);
    hub.appendFeed("outcomes", [outcome(2), outcome(3)]);
    hub.flush();
    const [ev] = sink.events();
    expect(ev).toMatchObject({ type: "feed_append", topic: "outcomes" });
    expect(itemIds(ev)).toEqual(["1", "2", "3"]);
    hub.close();
  });

  it("hub - builds a deferred feed item only when it is read, for getFeed and for SSE frames alike", () => {
    let built = 0;
    class Lazy extends DeferredFeedItem<ReturnType<typeof outcome>> {
      constructor(private readonly i: number) {
        super();
      }
      resolve() {
        built++;
        return outcome(this.i);
      }
    }
    const hub = new Hub();
    hub.appendFeed("outcomes", [outcome(1), new Lazy(2), new Lazy(3)]);
    expect(built).toBe(0);
    expect(hub.getFeed("outcomes").map((r) => r.id)).toEqual(["1", "2", "3"]);
    expect(hub.getFeed("outcomes")[1]).not.toBeInstanceOf(Lazy);
    const sink = new FakeSink();
    hub.subscribe(sink, ["outcomes"]);
    expect(itemIds(sink.events()[1])).toEqual(["1", "2", "3"]);
    expect(sink.events()[1]).toMatchObject({ items: [outcome(1), outcome(2), outcome(3)] });
    hub.close();
  });

  it("hub - resumes from Last-Event-ID with exactly the missed feed items", () => {
    const hub = new Hub();
    const first = new FakeSink();
    hub.subscribe(first, ["outcomes"]);
    hub.appendFeed("outcomes", [outcome(1), outcome(2)]);
    hub.flush();
    const lastId = first.ids().at(-1)!;
    hub.appendFeed("outcomes", [outcome(3), outcome(4)]);
    const resumed = new FakeSink();
    hub.subscribe(resumed, ["outcomes"], lastId);
    const events = resumed.events();
    expect(events[0]).toMatchObject({ type: "hello", resumed: true });
    expect(events[1]).toMatchObject({ type: "feed_append" });
    expect(itemIds(events[1])).toEqual(["3", "4"]);
    hub.close();
  });

  it("hub - sends a fresh snapshot when the client missed more than the ring holds", () => {
    const hub = new Hub({ feedCapacity: 10, feedResetSize: 3 });
    hub.appendFeed("outcomes", [outcome(1)]);
    const lastId = hub.currentSeq;
    hub.appendFeed(
      "outcomes",
      Array.from({ length: 20 }, (_, i) => outcome(i + 2)),
    );
    const sink = new FakeSink();
    hub.subscribe(sink, ["outcomes"], lastId);
    const events = sink.events();
    expect(events[0]).toMatchObject({ type: "hello", resumed: false });
    expect(events[1]).toMatchObject({ type: "feed_reset" });
    expect(itemIds(events[1])).toEqual(["19", "20", "21"]);
    hub.close();
  });

  it("hub - a Last-Event-ID from another server instance (ahead of this hub) gets a fresh snapshot", () => {
    const hub = new Hub();
    const sink = new FakeSink();
    hub.subscribe(sink, ["outcomes"], 9_999);
    expect(sink.events()[0]).toMatchObject({ type: "hello", resumed: false });
    hub.close();
  });

  it("hub - the timer's flush writes a slice of clients per event-loop turn, all up to the same head with the same bytes", async () => {
    const hub = new Hub({ flushSliceClients: 2 });
    const sinks = Array.from({ length: 5 }, () => new FakeSink());
    const raw: (Uint8Array | string)[][] = sinks.map(() => []);
    sinks.forEach((sink, i) => {
      const write = sink.write.bind(sink);
      sink.write = (chunk) => {
        raw[i]!.push(chunk);
        write(chunk);
      };
      hub.subscribe(sink, ["outcomes"]);
      sink.clear();
      raw[i]!.length = 0;
    });
    hub.appendFeed("outcomes", [outcome(1)]);
    const done = hub.flushInSlices();
    // The first turn wrote the first slice only; the rest wait for later turns.
    expect(sinks.map((s) => s.events().length)).toEqual([1, 1, 0, 0, 0]);
    hub.appendFeed("outcomes", [outcome(2)]); // arrives mid-flush: the next flush carries it
    await done;
    expect(sinks.map((s) => itemIds(s.events()[0]))).toEqual(Array(5).fill(["1"]));
    expect(new Set(sinks.flatMap((s) => s.ids())).size).toBe(1);
    expect(new Set(raw.map((chunks) => chunks[0])).size).toBe(1); // one encoded frame shared by all five
    await hub.flushInSlices();
    expect(sinks.map((s) => itemIds(s.events()[1]))).toEqual(Array(5).fill(["2"]));
    hub.close();
  });

  it("hub - skips a backed-up client without buffering, then drops it after the stall timeout", () => {
    let now = 0;
    const hub = new Hub({ stallTimeoutMs: 1_000, now: () => now });
    const slow = new FakeSink();
    const fast = new FakeSink();
    hub.subscribe(slow, ["outcomes"]);
    hub.subscribe(fast, ["outcomes"]);
    slow.clear();
    fast.clear();
    slow.backedUp = true;
    for (let i = 0; i < 100; i++) hub.appendFeed("outcomes", [outcome(i)]);
    hub.flush();
    expect(slow.chunks).toHaveLength(0);
    expect(fast.events()).toHaveLength(1);
    now = 1_500;
    hub.flush();
    expect(slow.closedWith).toMatch(/stalled/);
    expect(hub.stats.clients).toBe(1);
    expect(hub.stats.clients_dropped).toBe(1);
    hub.close();
  });

  it("hub - a client that recovers before the timeout gets everything it missed in one append", () => {
    let now = 0;
    const hub = new Hub({ stallTimeoutMs: 1_000, now: () => now });
    const sink = new FakeSink();
    hub.subscribe(sink, ["outcomes"]);
    sink.clear();
    sink.backedUp = true;
    hub.appendFeed("outcomes", [outcome(1), outcome(2)]);
    hub.flush();
    now = 500;
    sink.backedUp = false;
    hub.appendFeed("outcomes", [outcome(3)]);
    hub.flush();
    const events = sink.events();
    expect(events).toHaveLength(1);
    expect(itemIds(events[0])).toEqual(["1", "2", "3"]);
    expect(sink.closedWith).toBeNull();
    hub.close();
  });

  it("hub - sends a visible ping event when idle past the ping interval", () => {
    let now = 0;
    const hub = new Hub({ pingIntervalMs: 1_000, now: () => now });
    const sink = new FakeSink();
    hub.subscribe(sink, ["connection"]);
    sink.clear();
    now = 999;
    hub.flush();
    expect(sink.chunks).toHaveLength(0);
    now = 1_001;
    hub.flush();
    expect(sink.chunks).toEqual(["event: ping\ndata: 1001\n\n"]);
    hub.close();
  });

  it("hub - refuses a ping interval too long to keep proxies from cutting the stream", () => {
    expect(() => new Hub({ pingIntervalMs: 60_000 })).toThrow(/pingIntervalMs/);
  });

  it("hub - unsubscribe releases the client and stops writing to it", () => {
    const hub = new Hub();
    const sink = new FakeSink();
    const unsubscribe = hub.subscribe(sink, ["connection"]);
    expect(hub.stats.clients).toBe(1);
    unsubscribe();
    unsubscribe(); // idempotent
    expect(hub.stats.clients).toBe(0);
    sink.clear();
    hub.publishState("connection", conn(1));
    hub.flush();
    expect(sink.chunks).toHaveLength(0);
    hub.close();
  });
});

describe("hub keyed state topics", () => {
  const meta = (sampled_at: string) => ({ status: "ok" as const, sampled_at, duration_ms: 1, errors: [], own_streams: [] });
  const row = consumerRow;

  const rows = (sampled_at: string, items: ReturnType<typeof row>[]) => ({ meta: meta(sampled_at), items });
  type Patch = Extract<DashboardEvent, { type: "state_patch"; topic: "consumer_rows" }>;
  const names = (items: { name: string }[]) => items.map((r) => r.name).sort();
  /** A hub whose clients get states on every flush, and a client that has taken the first full state. */
  const setup = (opts: ConstructorParameters<typeof Hub>[0] = {}) => {
    let now = 0;
    const hub = new Hub({ now: () => now, stateIntervalMs: 0, ...opts });
    hub.publishState("consumer_rows", rows("t0", [row("S", "a"), row("S", "b"), row("T", "c")]));
    const sink = new FakeSink();
    hub.subscribe(sink, ["consumer_rows"]);
    const next = () => {
      sink.clear();
      now += 100;
      hub.flush();
      return sink.events();
    };
    return { hub, sink, next };
  };

  it("hub keyed - a new client gets the whole list as a state event", () => {
    const { hub, sink } = setup();
    const [, first] = sink.events();
    expect(first).toMatchObject({ type: "state", topic: "consumer_rows" });
    expect(names((first as Extract<DashboardEvent, { topic: "consumer_rows"; type: "state" }>).data.items)).toEqual(["a", "b", "c"]);
    hub.close();
  });

  it("hub keyed - the whole list goes out with a kept stuck row's lag seconds brought up to its meta", () => {
    const hub = new Hub({ stateIntervalMs: 0 });
    const insight = {
      lag_seconds: 1,
      lag_seconds_source: "interpolated" as const,
      consume_per_s: 0,
      ingest_per_s: 0,
      drain: { state: "never" as const, seconds: null },
      health: { status: "STALL" as const, rule: "ack_floor_stuck" as const, evidence: "" },
      spark: [3],
      oldest_at: Date.parse("2026-11-23T00:00:00Z"),
    };
    // kept from the sample a second after its oldest message, published again 5 s after it
    hub.publishState("consumer_rows", rows("2026-11-23T00:00:05Z", [{ ...row("S", "stuck", 3), insight }]));
    const sink = new FakeSink();
    hub.subscribe(sink, ["consumer_rows"]);
    const [, first] = sink.events() as Extract<DashboardEvent, { topic: "consumer_rows"; type: "state" }>[];
    expect(first!.data.items[0]!.insight!.lag_seconds).toBe(5);
    hub.close();
  });

  it("hub keyed - items travel packed: tuples and a dictionary on the wire, the same rows once unpacked", () => {
    const { hub, sink, next } = setup();
    const wire = JSON.parse(sink.chunks.find((c) => c.includes('{"type":"state",'))!.split("data: ")[1]!);
    expect(wire).toMatchObject({
      type: "state",
      topic: "consumer_rows",
      meta: meta("t0"),
      packed: { values: expect.arrayContaining(["S", "T", "a"]) },
    });
    expect(wire.packed.rows).toHaveLength(3);
    expect(wire).not.toHaveProperty("data");
    hub.publishState("consumer_rows", rows("t1", [row("S", "a", 4), row("S", "b"), row("T", "c")]));
    const [patch] = next() as Patch[];
    expect(patch!.upsert).toEqual([row("S", "a", 4)]);
    expect(JSON.parse(sink.chunks[0]!.split("data: ")[1]!)).toMatchObject({
      type: "state_patch",
      packed: { rows: [expect.any(Array)] },
      remove: [],
    });
    hub.close();
  });

  it("hub keyed - then only the changed and removed items, with the new meta", () => {
    const { hub, next } = setup();
    // b changes, c goes, d arrives; a is a new object with the same content
    hub.publishState("consumer_rows", rows("t1", [row("S", "a"), row("S", "b", 5), row("T", "d")]));
    const [patch] = next() as Patch[];
    expect(patch).toMatchObject({ type: "state_patch", topic: "consumer_rows", meta: { sampled_at: "t1" }, remove: ["T/c"] });
    expect(names(patch!.upsert)).toEqual(["b", "d"]);
    expect(patch!.upsert.find((r) => r.name === "b")!.num_pending).toBe(5);
    expect(hub.stats.state_patches).toBe(1);
    hub.close();
  });

  it("hub keyed - a list that shifted (one gone at the front, one new in the middle) patches exactly what changed, whatever index each item had", () => {
    const { hub, next } = setup();
    hub.publishState("consumer_rows", rows("t1", [row("S", "b", 5), row("S", "x"), row("T", "c")]));
    const [patch] = next() as Patch[];
    expect(patch).toMatchObject({ remove: ["S/a"] });
    expect(patch!.upsert).toEqual([row("S", "b", 5), row("S", "x")]);
    hub.publishState("consumer_rows", rows("t2", [row("S", "b", 5), row("T", "c"), row("S", "x", 1)]));
    expect(next()).toEqual([{ type: "state_patch", topic: "consumer_rows", meta: meta("t2"), upsert: [row("S", "x", 1)], remove: [] }]);
    hub.close();
  });

  it("hub keyed - an unchanged list costs a meta-only patch", () => {
    const { hub, next } = setup();
    hub.publishState("consumer_rows", rows("t1", [row("T", "c"), row("S", "b"), row("S", "a")]));
    expect(next()).toEqual([{ type: "state_patch", topic: "consumer_rows", meta: meta("t1"), upsert: [], remove: [] }]);
    hub.close();
  });

  it("hub keyed - a client that skipped versions while backed up gets one patch covering all of them", () => {
    const { hub, sink, next } = setup();
    sink.backedUp = true;
    hub.publishState("consumer_rows", rows("t1", [row("S", "a", 1), row("S", "b"), row("T", "c")]));
    expect(next()).toEqual([]);
    hub.publishState("consumer_rows", rows("t2", [row("S", "a", 1), row("S", "b")])); // c goes
    hub.publishState("consumer_rows", rows("t3", [row("S", "a", 1), row("S", "b"), row("T", "c", 9)])); // c is back
    hub.publishState("consumer_rows", rows("t4", [row("S", "a", 1), row("T", "c", 9)])); // b goes
    expect(next()).toEqual([]);
    sink.backedUp = false;
    const [patch] = next() as Patch[];
    expect(patch).toMatchObject({ type: "state_patch", meta: { sampled_at: "t4" }, remove: ["S/b"] });
    expect(patch!.upsert.map((r) => [r.name, r.num_pending]).sort()).toEqual([
      ["a", 1],
      ["c", 9],
    ]);
    hub.close();
  });

  it("hub keyed - clients at the same version share one patch frame; a client further behind gets its own", () => {
    const { hub, next } = setup();
    const late = new FakeSink();
    hub.publishState("consumer_rows", rows("t1", [row("S", "a", 1), row("S", "b"), row("T", "c")]));
    next();
    hub.subscribe(late, ["consumer_rows"]); // holds t1 in full
    const inStep = new FakeSink();
    hub.subscribe(inStep, ["consumer_rows"]);
    late.clear();
    inStep.clear();
    hub.publishState("consumer_rows", rows("t2", [row("S", "a", 1), row("S", "b", 2), row("T", "c")]));
    const [first] = next() as Patch[];
    expect(names(first!.upsert)).toEqual(["b"]);
    expect(late.chunks[0]).toBe(inStep.chunks[0]);
    hub.close();
  });

  it("hub keyed - a client behind the removals the hub keeps gets the whole list again", () => {
    const { hub, sink, next } = setup({ keyedPatchVersions: 2 });
    sink.backedUp = true;
    hub.publishState("consumer_rows", rows("t1", [row("S", "a"), row("S", "b")])); // c goes at version 2
    for (let v = 3; v <= 5; v++) hub.publishState("consumer_rows", rows(`t${v}`, [row("S", "a", v), row("S", "b")]));
    next();
    sink.backedUp = false;
    const [ev] = next();
    expect(ev).toMatchObject({ type: "state", topic: "consumer_rows" });
    expect(names((ev as Extract<DashboardEvent, { topic: "consumer_rows"; type: "state" }>).data.items)).toEqual(["a", "b"]);
    hub.close();
  });

  it("hub keyed - a resumed connection gets the whole list (its cache is replaced) and still exactly the missed feed items", () => {
    const hub = new Hub({ stateIntervalMs: 0 });
    const first = new FakeSink();
    hub.publishState("consumer_rows", rows("t0", [row("S", "a")]));
    hub.subscribe(first, ["consumer_rows", "outcomes"]);
    hub.appendFeed("outcomes", [outcome(1)]);
    hub.flush();
    const lastId = first.ids().at(-1)!;
    hub.publishState("consumer_rows", rows("t1", [row("S", "a", 3), row("S", "b")]));
    hub.appendFeed("outcomes", [outcome(2)]);
    const resumed = new FakeSink();
    hub.subscribe(resumed, ["consumer_rows", "outcomes"], lastId);
    const events = resumed.events();
    expect(events.map((e) => e.type)).toEqual(["hello", "state", "feed_append"]);
    expect(events[0]).toMatchObject({ resumed: true });
    expect(names((events[1] as Extract<DashboardEvent, { topic: "consumer_rows"; type: "state" }>).data.items)).toEqual(["a", "b"]);
    expect(itemIds(events[2])).toEqual(["2"]);
    hub.close();
  });
});

describe("feed items do not wait for the timer", () => {
  /** setImmediate too: a sliced flush's later slices run when the test advances time, not when the loop does. */
  const FAKE_TIMERS: Parameters<typeof vi.useFakeTimers>[0] = {
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "setImmediate", "clearImmediate", "Date"],
  };
  afterEach(() => {
    vi.useRealTimers();
  });

  it("hub - an appended feed item reaches clients within the feed gap, long before the next tick", async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const hub = new Hub({ flushIntervalMs: 10_000, feedFlushGapMs: 5 });
    const sink = new FakeSink();
    hub.subscribe(sink, ["outcomes"]);
    sink.clear();
    hub.appendFeed("outcomes", [outcome(1)]);
    expect(sink.events()).toEqual([]);
    await vi.advanceTimersByTimeAsync(5);
    expect(itemIds(sink.events()[0])).toEqual(["1"]);
    hub.close();
  });

  it("hub - after a slow fan-out the next feed flush waits twice as long as that flush took", async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const hub = new Hub({ flushIntervalMs: 10_000, feedFlushGapMs: 1, now: () => Date.now() });
    const sink = new FakeSink();
    hub.subscribe(sink, ["outcomes"]);
    sink.clear();
    const write = sink.write.bind(sink);
    sink.write = (chunk) => {
      write(chunk);
      vi.setSystemTime(Date.now() + 10); // each write takes 10 ms of the loop
    };
    hub.appendFeed("outcomes", [outcome(1)]);
    await vi.advanceTimersByTimeAsync(1); // the flush starts after 1 ms and takes 10
    expect(sink.events()).toHaveLength(1);
    hub.appendFeed("outcomes", [outcome(2)]);
    await vi.advanceTimersByTimeAsync(8); // 20 ms after the first began: 1 + 10 + 8 = 19 is too soon
    expect(sink.events()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(itemIds(sink.events()[1])).toEqual(["2"]);
    hub.close();
  });

  it("hub - items appended while a sliced flush writes go out as soon as it ends", async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const hub = new Hub({ flushIntervalMs: 10_000, feedFlushGapMs: 0, flushSliceClients: 1 });
    const sinks = [new FakeSink(), new FakeSink()];
    for (const sink of sinks) hub.subscribe(sink, ["outcomes"]);
    for (const sink of sinks) sink.clear();
    const write = sinks[0]!.write.bind(sinks[0]);
    sinks[0]!.write = (chunk) => {
      write(chunk);
      if (hub.currentSeq === 1) hub.appendFeed("outcomes", [outcome(2)]); // mid-flush: the second client waits
    };
    hub.appendFeed("outcomes", [outcome(1)]);
    // The first flush (the second item arrives in it), then the one its end scheduled: a few fake milliseconds.
    for (let ms = 0; ms < 5; ms++) await vi.advanceTimersByTimeAsync(1);
    expect(sinks.map((s) => s.events().flatMap(itemIds))).toEqual([
      ["1", "2"],
      ["1", "2"],
    ]);
    hub.close();
  });
});
