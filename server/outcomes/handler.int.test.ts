/**
 * One handler's page read from a real nats-server: its counts, groups, newest outcomes and latency over the
 * range; the same latency chart whether its minutes come from the per-minute rollups or from raw outcomes;
 * a handler nothing is stored of is unknown (null), one quiet in the range is not.
 */
import { describe, expect, it } from "vitest";
import { jetstream } from "@nats-io/jetstream";
import { Hub } from "../hub/hub";
import { OUTCOME_TEST_PREFIX, OUTCOME_TEST_STREAM, useOutcomeNats } from "../../testing/nats/outcome-nats";
import { waitFor } from "../../testing/wait-for";
import { openRollupStore } from "./rollup-store";
import { queryHandler, type OutcomeSource } from "./query";
import { parseOutcome } from "../../lib/outcomes/outcome";

const enc = new TextEncoder();
const outcome = (handler: string, i: number, duration_ms?: number) =>
  enc.encode(
    JSON.stringify({
      handler_id: handler,
      severity: "high",
      kind: i % 4 === 0 ? "errored" : "logged",
      target: `r${i % 3}`,
      diagnostic:
        i % 4 === 0 ? `Traceback (most recent call last):\n  File "/a.py", line 1, in f\n    g()\nKeyError: 'peer-${i}'` : undefined,
      event: { subject: "sensory.x" },
      emitted_at: new Date().toISOString(),
      ...(duration_ms !== undefined ? { duration_ms } : {}),
    }),
  );

describe("handler query (integration)", () => {
  const nats = useOutcomeNats();

  it("handler - counts, groups, outcomes and latency of one handler over the range; unknown and quiet handlers", async () => {
    const js = jetstream(nats.nc);
    for (let i = 0; i < 40; i++) await js.publish(`${OUTCOME_TEST_PREFIX}.slow`, outcome("slow", i, i + 1));
    for (let i = 0; i < 5; i++) await js.publish(`${OUTCOME_TEST_PREFIX}.other`, outcome("other", i, 1000));
    const src: OutcomeSource = { nc: nats.nc, jsm: nats.jsm, hub: new Hub(), prefix: OUTCOME_TEST_PREFIX, stream: OUTCOME_TEST_STREAM };
    const now = Date.now() + 1_000;

    const d = (await queryHandler(src, "slow", {}, now))!;
    expect(d.summary).toMatchObject({ handler_id: "slow", total: 40, errored: 10, malformed: 0 });
    expect(d.summary!.latency!.count).toBe(40);
    expect(d.groups.map((g) => [g.handler_id, g.exception, g.count])).toEqual([["slow", "KeyError: <str>", 10]]);
    expect(d.records).toHaveLength(40);
    expect(d.records.every((r) => r.handler_id === "slow")).toBe(true);
    expect(d.timeline.reduce((n, b) => n + b.total, 0)).toBe(40);
    // The default hour in one-minute buckets; every duration in a point, none of the other handler's 1,000 ms.
    expect(d.latency.bucket_ms).toBe(60_000);
    expect(d.latency.points.reduce((n, p) => n + p.count, 0)).toBe(40);
    expect(Math.max(...d.latency.points.map((p) => p.p99))).toBeLessThan(41);

    expect(await queryHandler(src, "nobody", {}, now)).toBeNull();
    // Stored, but not in this range: known, with nothing to show.
    const past = { from: new Date(now - 3 * 3_600_000).toISOString(), to: new Date(now - 2 * 3_600_000).toISOString() };
    const quiet = (await queryHandler(src, "slow", past, now))!;
    expect(quiet).toMatchObject({ summary: null, records: [], groups: [], latency: { points: [] } });
  });

  it("handler - the latency chart merged from per-minute rollups equals the one read from raw outcomes", async () => {
    const store = await openRollupStore(nats.nc, nats.jsm, { stream: "TEST_HANDLER_ROLLUPS", subject: "test.handler.rollups" });
    // An ingest whose clock runs 3 minutes ahead closes the current minute without the test waiting for it.
    nats.startIngest(new Hub(), { checkMs: 100, rollups: async () => store, now: () => Date.now() + 3 * 60_000 });
    await waitFor("rollups written", async () => (await store.load(0)).rollups.reduce((n, r) => n + r.total, 0) === 45);
    const { rollups } = await store.load(0);
    const from = Math.min(...rollups.map((r) => r.minute));
    const to = Date.now() + 60_000;
    const raw: OutcomeSource = { nc: nats.nc, jsm: nats.jsm, hub: new Hub(), prefix: OUTCOME_TEST_PREFIX, stream: OUTCOME_TEST_STREAM };
    const rolled = (await queryHandler(
      { ...raw, rollups: async () => store },
      "slow",
      { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      to,
    ))!;
    const rawOnly = (await queryHandler(raw, "slow", { from: new Date(from).toISOString(), to: new Date(to).toISOString() }, to))!;
    expect(rolled.latency.points.reduce((n, p) => n + p.count, 0)).toBe(40);
    expect(rolled.latency).toEqual(rawOnly.latency);
    expect(rolled.summary!.latency).toEqual(rawOnly.summary!.latency);
  });

  it("handler - without a history stream the hub's live ring is read, and a handler it does not hold is unknown", async () => {
    const hub = new Hub();
    // A second ahead: the outcomes are emitted (and so placed on the timeline) after this line.
    const now = Date.now() + 1_000;
    hub.appendFeed(
      "outcomes",
      [5, 50, 500].map((ms, i) =>
        parseOutcome({
          id: `live-${i + 1}`,
          subject: `${OUTCOME_TEST_PREFIX}.ring`,
          data: outcome("ring", i + 1, ms),
          received_at: new Date().toISOString(),
          prefix: OUTCOME_TEST_PREFIX,
        }),
      ),
    );
    const src: OutcomeSource = { nc: nats.nc, jsm: nats.jsm, hub, prefix: OUTCOME_TEST_PREFIX, stream: "NO_SUCH_STREAM" };
    const d = (await queryHandler(src, "ring", {}, now))!;
    expect(d).toMatchObject({ source: "live", matched: 3, summary: { total: 3 } });
    expect(d.latency.points.reduce((n, p) => n + p.count, 0)).toBe(3);
    expect(await queryHandler(src, "slow", {}, now)).toBeNull();
  });
});
