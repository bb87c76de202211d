import { describe, expect, it } from "vitest";
import type { HealthStatus } from "./health";
import {
  DEFAULT_LIST_STATE,
  FIRST_SCREEN_ROWS,
  consumersFirstScreen,
  filterConsumers,
  consumerListStateToSearch,
  parseConsumerListState,
  selectConsumers,
  sortConsumers,
  summarize,
  type ConsumerListState,
} from "./search-params";
import type { ConsumerRow, ConsumerRowsMeta } from "./types";
import { consumerSummary } from "../../testing/fixtures/consumer";

const consumer = (stream: string, name: string, status: HealthStatus, lag: number, lagSeconds: number | null) =>
  consumerSummary(stream, name, { status, lag, lagSeconds });

describe("consumer list URL state", () => {
  it("consumer url state - defaults from an empty query, and an empty query from defaults", () => {
    expect(parseConsumerListState(new URLSearchParams(""))).toEqual({ ...DEFAULT_LIST_STATE, ignored: [] });
    expect(consumerListStateToSearch(DEFAULT_LIST_STATE)).toBe("");
  });

  it("consumer url state - round trips every field", () => {
    const s: ConsumerListState = {
      sort: "lag_seconds",
      dir: "asc",
      stream: "routing decisions/é",
      status: ["WARN", "ERR"],
      q: "analytics",
      own: true,
    };
    const back = parseConsumerListState(new URLSearchParams(consumerListStateToSearch(s)));
    expect(back).toEqual({ ...s, ignored: [] });
    expect(consumerListStateToSearch(back)).toBe(consumerListStateToSearch(s));
  });

  it("consumer url state - statuses are normalised (case, order, duplicates)", () => {
    expect(parseConsumerListState({ status: "err,warn,ERR" }).status).toEqual(["WARN", "ERR"]);
  });

  it("consumer url state - bad values fall back to defaults instead of breaking the page, each named with its value", () => {
    expect(parseConsumerListState({ sort: "bogus", dir: "sideways", status: "OK,NOPE", own: "yes" })).toEqual({
      ...DEFAULT_LIST_STATE,
      ignored: ['sort: "bogus" is not valid', 'dir: "sideways" is not valid', 'status: "OK,NOPE" is not valid', 'own: "yes" is not valid'],
    });
  });

  it("consumer url state - Next's array-valued params read the first value", () => {
    expect(parseConsumerListState({ q: ["a", "b"] }).q).toBe("a");
  });
});

describe("consumer list selection", () => {
  const all = [
    consumer("a", "ok-1", "OK", 0, 0),
    consumer("a", "warn-1", "WARN", 500, 20),
    consumer("b", "err-1", "ERR", 10, 3),
    consumer("b", "warn-2", "WARN", 100, 60),
  ];

  it("consumer selection - ties come out by stream then name, whatever order the rows came in", () => {
    const statuses: HealthStatus[] = ["OK", "OK", "OK", "WARN", "ERR"];
    const fleet = Array.from({ length: 240 }, (_, k) =>
      consumer(`s${k % 6}`, `n${String(k).padStart(3, "0")}`, statuses[k % 5]!, k % 3, null),
    );
    const inTieOrder = [...fleet].sort((x, y) => (x.stream + x.name < y.stream + y.name ? -1 : 1));
    // a fixed shuffle, and the list as a patch leaves it: new rows appended after the hub's order
    const shuffled = inTieOrder
      .map((c, k) => ({ c, r: (k * 7919) % 241 }))
      .sort((x, y) => x.r - y.r)
      .map((x) => x.c);
    const appended = [...inTieOrder.slice(10), ...inTieOrder.slice(0, 10)];
    for (const state of [DEFAULT_LIST_STATE, { ...DEFAULT_LIST_STATE, sort: "lag_msgs" as const, dir: "asc" as const }]) {
      const want = selectConsumers(inTieOrder, state);
      expect(selectConsumers(shuffled, state)).toEqual(want);
      expect(selectConsumers(appended, state)).toEqual(want);
      for (let k = 1; k < want.length; k++) {
        const [p, c] = [want[k - 1]!, want[k]!];
        if (selectConsumers([c, p], state)[0] === p && selectConsumers([p, c], state)[0] === p) continue;
        throw new Error(`rows ${k - 1} and ${k} out of order`);
      }
      const ties = want.filter((c) => c.insight!.health.status === "OK" && c.num_pending === 0);
      expect(ties.map((c) => `${c.stream}/${c.name}`)).toEqual(ties.map((c) => `${c.stream}/${c.name}`).sort());
    }
  });

  it("consumer selection - worst first by default: severity, then lag seconds", () => {
    expect(selectConsumers(all, DEFAULT_LIST_STATE).map((c) => c.name)).toEqual(["err-1", "warn-2", "warn-1", "ok-1"]);
  });

  it("consumer selection - sorts by a column in both directions", () => {
    expect(selectConsumers(all, { ...DEFAULT_LIST_STATE, sort: "lag_msgs", dir: "desc" }).map((c) => c.name)).toEqual([
      "warn-1",
      "warn-2",
      "err-1",
      "ok-1",
    ]);
    expect(selectConsumers(all, { ...DEFAULT_LIST_STATE, sort: "name", dir: "asc" }).map((c) => c.name)).toEqual([
      "err-1",
      "ok-1",
      "warn-1",
      "warn-2",
    ]);
  });

  it("consumer selection - filters by stream, status and name together", () => {
    expect(selectConsumers(all, { ...DEFAULT_LIST_STATE, stream: "a" }).map((c) => c.name)).toEqual(["warn-1", "ok-1"]);
    expect(selectConsumers(all, { ...DEFAULT_LIST_STATE, status: ["WARN"], q: "2" }).map((c) => c.name)).toEqual(["warn-2"]);
  });

  it("consumer summary - counts by status, total pending and the worst lag", () => {
    const s = summarize(all);
    expect(s.by_status).toMatchObject({ OK: 1, WARN: 2, ERR: 1, STALL: 0 });
    expect(s.total_pending).toBe(610);
    expect(s.worst).toMatchObject({ name: "warn-2", lag_seconds: 60 });
    expect(summarize([consumer("a", "x", "OK", 0, 0)]).worst).toBeNull();
  });

  it("consumer selection - filtering the sorted list is the same as sorting the filtered one", () => {
    const fleet = Array.from({ length: 120 }, (_, k) =>
      consumer(`s${k % 4}`, `n${k}`, (["OK", "WARN", "ERR"] as const)[k % 3], (k * 37) % 11, k % 5 ? k : null),
    );
    const states: ConsumerListState[] = [
      { ...DEFAULT_LIST_STATE, q: "1" },
      { ...DEFAULT_LIST_STATE, sort: "lag_msgs", dir: "asc", stream: "s2" },
      { ...DEFAULT_LIST_STATE, sort: "name", status: ["WARN", "ERR"], q: "N2" },
    ];
    for (const s of states) {
      const byFilterFirst = sortConsumers(
        fleet.filter((c) => filterConsumers([c], s).length === 1),
        s.sort,
        s.dir,
      );
      expect(filterConsumers(sortConsumers(fleet, s.sort, s.dir), s)).toEqual(byFilterFirst);
      expect(byFilterFirst.length).toBeGreaterThan(0);
    }
    // no filter: the sorted list itself, not a copy
    const sorted = sortConsumers(fleet, "status", "desc");
    expect(filterConsumers(sorted, DEFAULT_LIST_STATE)).toBe(sorted);
  });

  it("consumer first screen - counts every row, carries the first rows of the selection, lag seconds as of the sample", () => {
    const sampledAt = "2026-11-23T00:01:00Z";
    const fleet: ConsumerRow[] = Array.from({ length: 100 }, (_, k) =>
      consumer(`s${k % 3}`, `n${k}`, k % 10 ? "OK" : "WARN", k % 10 ? 0 : 50, k % 10 ? 0 : 1),
    );
    // a lagging row whose oldest message is a minute older than the sample: the browser's cache settles it to 60 s
    fleet[0] = { ...fleet[0]!, insight: { ...fleet[0]!.insight!, lag_seconds: 1, oldest_at: Date.parse("2026-11-23T00:00:00Z") } };
    const meta = { status: "ok", sampled_at: sampledAt, duration_ms: 12, errors: [], own_streams: [] } as unknown as ConsumerRowsMeta;
    const first = consumersFirstScreen({ meta, items: fleet }, { ...DEFAULT_LIST_STATE, q: "n" });
    expect(first.total).toBe(100);
    expect(first.shown).toBe(100);
    expect(first.rows).toHaveLength(FIRST_SCREEN_ROWS);
    expect(first.rows[0]!.name).toBe("n0");
    expect(first.rows[0]!.insight!.lag_seconds).toBe(60);
    expect(first.rows.slice(1, 10).every((c) => c.insight!.health.status === "WARN")).toBe(true);
    expect(first.summary.by_status.WARN).toBe(10);
    expect(first.streams).toEqual(["s0", "s1", "s2"]);
    expect(first.meta).toBe(meta);
    const narrow = consumersFirstScreen({ meta, items: fleet }, { ...DEFAULT_LIST_STATE, stream: "s1", status: ["WARN"] });
    expect([narrow.total, narrow.shown, narrow.rows.length]).toEqual([100, 3, 3]);
  });

  it("consumer own streams - busdeck's own consumers never count toward the status totals and are listed only on request", () => {
    const meta = {
      status: "ok",
      sampled_at: "2026-11-23T00:01:00Z",
      duration_ms: 1,
      errors: [],
      own_streams: ["OBJ_busdeck_snapshots"],
    } as unknown as ConsumerRowsMeta;
    const rows = [
      consumer("ORDERS", "billing", "OK", 0, 0),
      consumer("ORDERS", "audit", "WARN", 40, 1),
      consumer("OBJ_busdeck_snapshots", "oc_freeze", "STOP", 900, 9),
    ];
    const hidden = consumersFirstScreen({ meta, items: rows }, DEFAULT_LIST_STATE);
    expect(hidden.summary.by_status.STOP).toBe(0);
    expect(hidden.summary.by_status.WARN).toBe(1);
    expect(hidden.summary.total_pending).toBe(40);
    expect(hidden.summary.worst?.name).toBe("audit");
    expect(hidden.summary.own_rows).toBe(1);
    expect(hidden.rows.map((r) => r.name).sort()).toEqual(["audit", "billing"]);
    expect([hidden.total, hidden.shown, hidden.streams]).toEqual([2, 2, ["ORDERS"]]);
    const shown = consumersFirstScreen({ meta, items: rows }, { ...DEFAULT_LIST_STATE, own: true });
    expect(shown.rows.map((r) => r.name)).toContain("oc_freeze");
    expect(shown.summary.by_status.STOP).toBe(0);
    expect([shown.total, shown.streams]).toEqual([3, ["OBJ_busdeck_snapshots", "ORDERS"]]);
    expect(consumerListStateToSearch({ ...DEFAULT_LIST_STATE, own: true })).toBe("?own=1");
  });

  it("consumer show internal - ephemeral consumers are listed only on request, yet still count in the status totals", () => {
    const meta = { status: "ok", sampled_at: "2026-11-23T00:01:00Z", duration_ms: 1, errors: [], own_streams: ["KV_busdeck_fleet"] };
    const ephemeral = (stream: string, name: string, status: HealthStatus, lag: number) => {
      const c = consumer(stream, name, status, lag, 1);
      return { ...c, config: { ...c.config, durable: false } };
    };
    const rows = [
      consumer("ORDERS", "billing", "OK", 0, 0),
      ephemeral("KV_locks", "oc_AbC_1", "WARN", 5),
      ephemeral("ORDERS", "oc_Tail_2", "OK", 0),
      consumer("KV_busdeck_fleet", "watcher", "STOP", 9, 9),
    ];
    const hidden = consumersFirstScreen({ meta: meta as unknown as ConsumerRowsMeta, items: rows }, DEFAULT_LIST_STATE);
    expect(hidden.rows.map((r) => r.name)).toEqual(["billing"]);
    expect([hidden.total, hidden.shown, hidden.streams]).toEqual([1, 1, ["ORDERS"]]);
    expect([hidden.summary.own_rows, hidden.summary.internal_rows]).toEqual([1, 3]);
    // the totals are as before: the ephemeral WARN counts, busdeck's own STOP does not
    expect([hidden.summary.by_status.WARN, hidden.summary.by_status.STOP, hidden.summary.total_pending]).toEqual([1, 0, 5]);
    const shown = consumersFirstScreen({ meta: meta as unknown as ConsumerRowsMeta, items: rows }, { ...DEFAULT_LIST_STATE, own: true });
    expect(shown.rows.map((r) => r.name).sort()).toEqual(["billing", "oc_AbC_1", "oc_Tail_2", "watcher"]);
    expect([shown.total, shown.streams]).toEqual([4, ["KV_busdeck_fleet", "KV_locks", "ORDERS"]]);
    expect(shown.summary).toEqual(hidden.summary);
  });
});
