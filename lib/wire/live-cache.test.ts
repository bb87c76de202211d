import { describe, expect, it } from "vitest";
import { toConsumerRow, type ConsumerRow, type ConsumerRowsMeta } from "../consumers/types";
import { consumerRow, consumerSummary } from "../../testing/fixtures/consumer";
import {
  EARLY_SSE_GLOBAL,
  applyFeedEvent,
  applyState,
  applyStatePatch,
  earlyEventSourceScript,
  eventsUrlForPath,
  topicsForPath,
  type EarlySse,
} from "./live-cache";
import type { OutcomeRecord } from "../outcomes/outcome";
import type { StreamsSnapshot } from "../streams/types";
import type { KeyedState } from "./topics";

const rec = (id: string): OutcomeRecord => ({
  id,
  subject: "s",
  handler_id: "h",
  received_at: "t",
  size: 1,
  valid: false,
  raw: "x",
  error: "e",
});

describe("live cache", () => {
  it("live cache - appends newest first and caps the list", () => {
    let list = applyFeedEvent<"outcomes">(undefined, { type: "feed_reset", topic: "outcomes", items: [rec("1"), rec("2")] });
    expect(list.map((r) => r.id)).toEqual(["2", "1"]);
    list = applyFeedEvent<"outcomes">(list, { type: "feed_append", topic: "outcomes", items: [rec("3"), rec("4")] }, 3);
    expect(list.map((r) => r.id)).toEqual(["4", "3", "2"]);
  });

  it("live cache - a reset replaces rather than merges", () => {
    const list = applyFeedEvent<"outcomes">([rec("old")], { type: "feed_reset", topic: "outcomes", items: [rec("9")] });
    expect(list.map((r) => r.id)).toEqual(["9"]);
  });
});

describe("topics for path", () => {
  const all = ["connection", "streams", "consumers", "consumer_rows", "outcomes", "outcome_rows", "lock_events", "brand_new"] as never[];
  const allButFull = all.filter((t) => t !== "consumers" && t !== "outcomes");
  it("topics for path - leaves heavy feeds off pages that never show them", () => {
    expect(topicsForPath("/consumers/routing-decisions/api-consumer", all)).toEqual([
      "connection",
      "streams",
      "consumer_rows",
      "brand_new",
    ]);
    expect(topicsForPath("/outcomes", all)).not.toContain("consumer_rows");
  });
  it("topics for path - the outcomes view streams the slim rows, never the full records", () => {
    expect(topicsForPath("/outcomes", all)).toContain("outcome_rows");
    expect(topicsForPath("/outcomes", all)).not.toContain("outcomes");
  });
  it("topics for path - the overview streams no feeds it does not show, and its rule is for / alone", () => {
    expect(topicsForPath("/", all)).toEqual(["connection", "streams", "consumer_rows", "brand_new"]);
    expect(topicsForPath("/unknown-page", all)).toContain("outcome_rows");
  });
  it("topics for path - findings stream to the overview alone", () => {
    const withFindings = [...all, "findings"] as never[];
    expect(topicsForPath("/", withFindings)).toContain("findings");
    for (const path of ["/consumers", "/streams/ORDERS", "/outcomes", "/failover", "/unknown-page", null])
      expect(topicsForPath(path, withFindings)).not.toContain("findings");
    expect(eventsUrlForPath("/", withFindings)).toMatch(/[=,]findings(,|$)/);
  });
  it("topics for path - frozen snapshots and the snapshots list stream no view data", () => {
    expect(topicsForPath("/s/abcdefghijklmnop", all)).toEqual(["connection", "brand_new"]);
    expect(topicsForPath("/snapshots", all)).toEqual(["connection", "brand_new"]);
  });
  it("topics for path - only the Bus pages stream the bus servers snapshot, and no JetStream view data", () => {
    const withBus = [...all, "bus_servers"] as never[];
    expect(topicsForPath("/bus/servers", withBus)).toEqual(["connection", "brand_new", "bus_servers"]);
    for (const path of ["/", "/streams", "/busy", null]) expect(topicsForPath(path, withBus)).not.toContain("bus_servers");
  });

  it("topics for path - the bus connections stream to the Connections page alone", () => {
    const withConns = [...all, "bus_servers", "bus_connections"] as never[];
    expect(topicsForPath("/bus/connections", withConns)).toEqual(["connection", "brand_new", "bus_servers", "bus_connections"]);
    for (const path of ["/bus/servers", "/", "/consumers", null]) expect(topicsForPath(path, withConns)).not.toContain("bus_connections");
  });

  it("topics for path - the alert log streams to the alerts page alone, which streams no other view data", () => {
    const withAlerts = [...all, "alerts"] as never[];
    expect(topicsForPath("/alerts", withAlerts)).toEqual(["connection", "brand_new", "alerts"]);
    expect(topicsForPath("/", withAlerts)).not.toContain("alerts");
    expect(topicsForPath("/alertsfoo", withAlerts)).not.toContain("alerts");
  });
  it("topics for path - unknown pages and new topics get everything but the full consumers snapshot and outcome records", () => {
    expect(topicsForPath("/streamsfoo", all)).toEqual(allButFull);
    expect(topicsForPath(null, all)).toEqual(allButFull);
  });
});

const meta = (sampled_at: string): ConsumerRowsMeta => ({ status: "ok", sampled_at, duration_ms: 5, errors: [], own_streams: [] });
const row = consumerRow;
const patch = (sampled_at: string, upsert: ConsumerRow[], remove: string[] = []) => ({
  type: "state_patch" as const,
  topic: "consumer_rows" as const,
  meta: meta(sampled_at),
  upsert,
  remove,
});

describe("keyed state patch", () => {
  const a = row("S", "a");
  const b = row("S", "b");
  const c = row("T", "c");
  const full: KeyedState<ConsumerRowsMeta, ConsumerRow> = { meta: meta("t0"), items: [a, b, c] };

  it("keyed state patch - replaces changed items in place, appends new ones, drops removed ones and takes the new meta", () => {
    const b2 = row("S", "b", 7);
    const d = row("T", "d");
    const next = applyStatePatch(full, patch("t1", [b2, d], ["T/c"]))!;
    expect(next.items).toEqual([a, b2, d]);
    expect(next.meta.sampled_at).toBe("t1");
  });

  it("keyed state patch - unchanged items keep their identity and the previous value is not mutated", () => {
    const next = applyStatePatch(full, patch("t1", [row("S", "b", 1)]))!;
    expect(next.items[0]).toBe(a);
    expect(next.items[2]).toBe(c);
    expect(full.items[1]).toBe(b);
    expect(full.meta.sampled_at).toBe("t0");
  });

  it("keyed state patch - a meta-only patch keeps every item", () => {
    const next = applyStatePatch(full, patch("t2", []))!;
    expect(next.items).toEqual(full.items);
    expect(next.meta.sampled_at).toBe("t2");
  });

  it("keyed state patch - keys are stream/consumer, so the same name on two streams stays two items", () => {
    const other = row("T", "a", 3);
    const next = applyStatePatch(full, patch("t1", [other]))!;
    expect(next.items).toEqual([a, b, c, other]);
  });

  it("keyed state patch - a run of patches, some adding and removing items, finds every item where it is", () => {
    const d = row("T", "d");
    const steps: [ConsumerRow[], string[], ConsumerRow[]][] = [
      [[row("S", "b", 1)], [], [a, row("S", "b", 1), c]],
      [[row("T", "c", 2)], [], [a, row("S", "b", 1), row("T", "c", 2)]],
      [[d], ["S/a"], [row("S", "b", 1), row("T", "c", 2), d]],
      [[row("T", "d", 4), row("S", "b", 5)], [], [row("S", "b", 5), row("T", "c", 2), row("T", "d", 4)]],
      [[row("S", "a", 6)], ["S/b"], [row("T", "c", 2), row("T", "d", 4), row("S", "a", 6)]],
      [[row("S", "a", 7)], [], [row("T", "c", 2), row("T", "d", 4), row("S", "a", 7)]],
    ];
    let state: KeyedState<ConsumerRowsMeta, ConsumerRow> = full;
    for (const [upsert, remove, expected] of steps) {
      state = applyStatePatch(state, patch("t1", upsert, remove))!;
      expect(state.items).toEqual(expected);
    }
  });

  it("keyed state patch - an item both removed and upserted goes to the end", () => {
    const a2 = row("S", "a", 9);
    expect(applyStatePatch(full, patch("t1", [a2], ["S/a"]))!.items).toEqual([b, c, a2]);
  });

  it("keyed state patch - without a cached value there is nothing to patch", () => {
    expect(applyStatePatch(undefined, patch("t1", [a]))).toBeUndefined();
    expect(applyStatePatch(null, patch("t1", [a]))).toBeNull();
  });
});

describe("keyed state settle", () => {
  // a consumer stuck on a message published at 00:00:00: the hub leaves its row out of later patches
  const stuck = toConsumerRow(consumerSummary("S", "a", { lag: 4, lagSeconds: 10, sampledAt: "2026-11-23T00:00:10Z" }));
  const full: KeyedState<ConsumerRowsMeta, ConsumerRow> = { meta: meta("2026-11-23T00:00:10Z"), items: [stuck] };

  it("keyed state settle - a patch without the stuck row still moves its lag seconds to the patch's sample", () => {
    const next = applyStatePatch(full, patch("2026-11-23T00:00:12Z", []))!;
    expect(next.items[0]!.insight!.lag_seconds).toBe(12);
    expect(next.items[0]!.insight!.oldest_at).toBe(stuck.insight!.oldest_at);
  });

  it("keyed state settle - a whole state is settled too, and one already current is kept as it is", () => {
    expect(applyState("consumer_rows", { ...full, meta: meta("2026-11-23T00:01:00Z") }).items[0]!.insight!.lag_seconds).toBe(60);
    expect(applyState("consumer_rows", full)).toBe(full);
    const streams: StreamsSnapshot = { status: "ok", sampled_at: null, duration_ms: null, streams: [], errors: [], own_streams: [] };
    expect(applyState("streams", streams)).toBe(streams);
  });
});

describe("early event source", () => {
  /** Runs the boot script as a document would at `path`, with a stand-in EventSource and timers. */
  const boot = (path: string) => {
    const window: Record<string, EarlySse | undefined> = {};
    const timers: (() => void)[] = [];
    class FakeEventSource {
      closed = false;
      onopen: (() => void) | null = null;
      onmessage: ((m: { data: string }) => void) | null = null;
      constructor(readonly url: string) {}
      close() {
        this.closed = true;
      }
    }
    new Function("window", "location", "EventSource", "setTimeout", earlyEventSourceScript())(
      window,
      { pathname: path },
      FakeEventSource,
      (f: () => void) => timers.push(f),
    );
    return { window, early: window[EARLY_SSE_GLOBAL]!, es: window[EARLY_SSE_GLOBAL]!.es as unknown as FakeEventSource, timers };
  };

  it("early event source - opens the URL the page's LiveEvents would, on every kind of page", () => {
    for (const path of [
      "/",
      "/consumers",
      "/consumers/S/c1",
      "/streams/S",
      "/outcomes",
      "/failover",
      "/s/abcdefghijklmnop",
      "/snapshots",
      "/annotations",
      "/streamsfoo",
      "/sx",
      "/bus/servers",
      "/bus/connections",
    ]) {
      const { early, es } = boot(path);
      expect(es.url, path).toBe(eventsUrlForPath(path));
      expect(early.url, path).toBe(es.url);
    }
    expect(eventsUrlForPath("/consumers")).not.toContain("outcome_rows");
  });

  it("early event source - keeps what arrives until adopted, and closes itself when nobody adopts it", () => {
    const { window, early, es, timers } = boot("/consumers");
    es.onopen!();
    es.onmessage!({ data: "1" });
    es.onmessage!({ data: "2" });
    expect(early).toMatchObject({ opened: true, messages: ["1", "2"] });
    timers.forEach((f) => f());
    expect(es.closed).toBe(true);
    expect(window[EARLY_SSE_GLOBAL]).toBeUndefined();
    const adopted = boot("/consumers");
    delete adopted.window[EARLY_SSE_GLOBAL]; // what useLiveEvents does when it takes the stream
    adopted.timers.forEach((f) => f());
    expect(adopted.es.closed).toBe(false);
  });
});
