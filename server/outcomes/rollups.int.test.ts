/**
 * Outcome rollups against a real nats-server: a dashboard writes the per-minute aggregates of what it folded;
 * after a restart the next one loads the summary from them instead of replaying every outcome, and carries
 * on without counting anything twice.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { jetstream } from "@nats-io/jetstream";
import { Hub } from "../hub/hub";
import { OUTCOME_TEST_PREFIX, OUTCOME_TEST_STREAM, useOutcomeNats } from "../../testing/nats/outcome-nats";
import { comparableStats, rollupFixture } from "../../testing/fixtures/outcome-rollups";
import { openRollupStore, type RollupStore } from "./rollup-store";
import { queryRangeSummary, type OutcomeSource } from "./query";
import { waitFor } from "../../testing/wait-for";

const PREFIX = OUTCOME_TEST_PREFIX;
const enc = new TextEncoder();

const outcome = (i: number) => {
  if (i % 10 === 9) return enc.encode("not json at all");
  const kind = i % 3 === 0 ? "errored" : "logged";
  return enc.encode(
    JSON.stringify({
      handler_id: ["bgp_drop", "link_down"][i % 2],
      severity: "high",
      kind,
      target: null,
      diagnostic:
        kind === "errored" ? `Traceback (most recent call last):\n  File "/a.py", line 1, in f\n    g()\nKeyError: 'k${i % 2}'` : undefined,
      event: { subject: "sensory.x" },
      emitted_at: new Date().toISOString(),
      duration_ms: (i % 7) * 13.5 + 0.5,
    }),
  );
};

describe("outcome rollups (integration)", () => {
  const nats = useOutcomeNats();
  let store: RollupStore;

  beforeAll(async () => {
    store = await openRollupStore(nats.nc, nats.jsm, { stream: "TEST_ROLLUPS" });
  });

  const start = (hub: Hub, clockShiftMs = 0) => {
    return nats.startIngest(hub, { checkMs: 100, rollups: async () => store, now: () => Date.now() + clockShiftMs });
  };
  const loadedStats = (hub: Hub, total: number) =>
    waitFor(`history load of ${total}`, () => {
      const s = hub.getState("outcome_stats");
      return s?.history.mode === "stream" && !s.history.loading && s.total === total && s;
    });

  it("outcome-rollups - closed minutes are written, and a restarted dashboard loads them instead of replaying", async () => {
    const js = jetstream(nats.nc);
    for (let i = 0; i < 30; i++) await js.publish(`${PREFIX}.h`, outcome(i));

    // First dashboard: replays the 30 raw outcomes. Its clock runs 3 minutes ahead, so once caught up the
    // current minute counts as over and is written without the test waiting a minute.
    const hubA = new Hub();
    const a = start(hubA, 3 * 60_000);
    const first = await loadedStats(hubA, 30);
    expect(first.history).toMatchObject({ loaded_count: 30, rolled_up: 0 });
    const stored = await waitFor("rollups written", async () => {
      const loaded = await store.load(0);
      return loaded.rollups.reduce((n, r) => n + r.total, 0) === 30 && loaded;
    });
    expect(stored.resumeSeq).toBe(30);
    expect(new Set(stored.rollups.map((r) => r.handler_id))).toEqual(new Set(["bgp_drop", "link_down", "h"]));
    a.stop();

    // After a restart: the summary comes from the rollups, the feed still shows the newest records.
    const hubB = new Hub();
    start(hubB);
    const second = await loadedStats(hubB, 30);
    expect(second.history).toMatchObject({ loaded_count: 0, rolled_up: 30 });
    // Counts, not windows: the first dashboard's clock ran ahead, so its sparkline window was elsewhere.
    const counts = ({ total, errored, malformed, severity, kinds, last_at, last_error_at, latency }: (typeof first.handlers)[string]) => ({
      latency,
      total,
      errored,
      malformed,
      severity,
      kinds,
      last_at,
      last_error_at,
    });
    for (const id of ["bgp_drop", "link_down", "h"]) expect(counts(second.handlers[id]!)).toEqual(counts(first.handlers[id]!));
    // The same p95 after the restart, now merged from the rollups' sketches.
    expect(second.handlers.bgp_drop!.latency).toMatchObject({ count: 15, p95: first.handlers.bgp_drop!.latency!.p95 });
    expect(second.timeline.reduce((n, b) => n + b.total, 0)).toBe(30);
    expect(second.groups.map(({ key, count, last_id }) => ({ key, count, last_id }))).toEqual(
      first.groups.map(({ key, count, last_id }) => ({ key, count, last_id })),
    );
    await waitFor("feed tail", () => hubB.getFeed("outcomes", 100).length === 30);

    // New outcomes are folded once, on top of the rolled-up ones.
    for (let i = 30; i < 35; i++) await js.publish(`${PREFIX}.h`, outcome(i));
    await waitFor("live outcomes", () => hubB.getState("outcome_stats")?.total === 35);
    expect(new Set(hubB.getFeed("outcomes", 100).map((r) => r.id)).size).toBe(35);
  });

  it("outcome-rollups - a range summary takes whole minutes from the rollups and equals one read from raw outcomes", async () => {
    const { rollups } = await store.load(0);
    const from = Math.min(...rollups.map((r) => r.minute));
    const to = Date.now() + 60_000;
    const raw: OutcomeSource = { nc: nats.nc, jsm: nats.jsm, hub: new Hub(), prefix: PREFIX, stream: OUTCOME_TEST_STREAM };
    const rawOnly = await queryRangeSummary(raw, from, to);
    const viaRollups = await queryRangeSummary({ ...raw, rollups: async () => store }, from, to);
    expect(rawOnly.stats.history).toMatchObject({ rolled_up: 0, loaded_count: 35 });
    expect(viaRollups.stats.history).toMatchObject({ rolled_up: expect.any(Number) });
    const h = viaRollups.stats.history;
    expect(h.mode === "stream" && h.rolled_up >= 30 && h.rolled_up + h.loaded_count).toBe(35);
    const { history: _a, computed_at: _b, ...a } = comparableStats(viaRollups.stats);
    const { history: _c, computed_at: _d, ...b } = comparableStats(rawOnly.stats);
    expect(a).toEqual(b);
    // Durations of valid outcomes; "h" has only malformed ones, so no latency.
    expect([a.handlers.bgp_drop!.latency?.count, a.handlers.link_down!.latency?.count, a.handlers.h!.latency]).toEqual([18, 14, null]);
    expect(viaRollups.complete).toBe(true);
  });

  it("outcome-rollups - the same minute written by two dashboards is stored once", async () => {
    const before = (await nats.jsm.streams.info("TEST_ROLLUPS")).state.messages;
    const { rollups } = await store.load(0);
    await store.write(rollups);
    expect((await nats.jsm.streams.info("TEST_ROLLUPS")).state.messages).toBe(before);
  });

  it("outcome-rollups - a recreated rollup stream is read anew, not from the rollups parsed before under the same sequences", async () => {
    const name = "TEST_ROLLUPS_RECREATED";
    const subject = "test.rollups.recreated";
    const [first, second] = rollupFixture(200).rollups.filter((r) => r.handler_id === rollupFixture(200).rollups[0]!.handler_id);
    const recreated = await openRollupStore(nats.nc, nats.jsm, { stream: name, subject });
    await recreated.write([first!]);
    expect((await recreated.read(0, Infinity)).rollups.map((r) => r.minute)).toEqual([first!.minute]);
    // The same sequence (1) now holds another minute, stored later.
    const config = (await nats.jsm.streams.info(name)).config;
    await nats.jsm.streams.delete(name);
    await nats.jsm.streams.add({ ...config, subjects: [subject] });
    await recreated.write([second!]);
    expect((await recreated.read(0, Infinity)).rollups.map((r) => r.minute)).toEqual([second!.minute]);
  });
});
