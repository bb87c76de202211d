/**
 * The outcome summary and its rollups when the history consumer (re)starts, against a real nats-server: records
 * the summary counted live, then met again in the stream, are counted once in the summary and once in their
 * minute's rollup (the rollup is built from stored records only, so it must not skip them); after the server
 * restarts, the summary goes on where it was instead of taking the stored rollups and records again.
 */
import { describe, expect, it } from "vitest";
import { jetstream } from "@nats-io/jetstream";
import { Hub } from "../hub/hub";
import { OUTCOME_TEST_PREFIX, OUTCOME_TEST_STREAM, useOutcomeNats } from "../../testing/nats/outcome-nats";
import { openRollupStore } from "./rollup-store";
import { waitFor } from "../../testing/wait-for";

const enc = new TextEncoder();
const outcome = (i: number) =>
  enc.encode(
    JSON.stringify({
      handler_id: ["link_down", "peer_flap"][i % 2],
      severity: "high",
      kind: "logged",
      target: `router-${i}`,
      event: { subject: "sensory.x" },
      emitted_at: new Date().toISOString(),
      duration_ms: 1 + i,
    }),
  );

describe("outcome history consumer (re)start (integration)", () => {
  const nats = useOutcomeNats();

  it("outcome-rollups - records seen live before the history consumer started are in their minute's rollup, counted once", async () => {
    const store = await openRollupStore(nats.nc, nats.jsm, { stream: "TEST_ROLLUPS_SWITCH", subject: "test.rollups.switch" });
    const config = (await nats.jsm.streams.info(OUTCOME_TEST_STREAM)).config;
    await nats.jsm.streams.delete(OUTCOME_TEST_STREAM);
    const hub = new Hub();
    // The clock runs 3 minutes ahead: once caught up, the minute counts as over and is written at once.
    nats.startIngest(hub, { checkMs: 1_000, rollups: async () => store, now: () => Date.now() + 3 * 60_000, foldThread: "inline" });
    await waitFor("live only", () => hub.getState("outcome_stats")?.history.mode === "live_only");

    // The stream comes back and takes 20 outcomes before the ingest's next check: it sees each live, then stored.
    await nats.jsm.streams.add({ ...config });
    const js = jetstream(nats.nc);
    for (let i = 0; i < 20; i++) await js.publish(`${OUTCOME_TEST_PREFIX}.h`, outcome(i), { msgID: `switch-${i}` });

    await waitFor("history consumer caught up", () => {
      const s = hub.getState("outcome_stats");
      return s?.history.mode === "stream" && !s.history.loading;
    });
    const stored = await waitFor("the minute's rollups written", async () => {
      const { rollups } = await store.load(0);
      return rollups.length > 0 && rollups;
    });
    expect(stored.reduce((n, r) => n + r.total, 0)).toBe(20);
    expect(Object.fromEntries(stored.map((r) => [r.handler_id, r.total]))).toEqual({ link_down: 10, peer_flap: 10 });
    expect(hub.getState("outcome_stats")?.total).toBe(20);
  });

  it("outcome-history - after the server restarts, the summary counts every outcome once (not the rollups and replay again)", async () => {
    const store = await openRollupStore(nats.nc, nats.jsm, { stream: "TEST_ROLLUPS_SWITCH", subject: "test.rollups.switch" });
    const before = (await nats.jsm.streams.info(OUTCOME_TEST_STREAM)).state.messages;
    const hub = new Hub();
    nats.startIngest(hub, { checkMs: 200, rollups: async () => store, now: () => Date.now() + 3 * 60_000, foldThread: "inline" });
    const total = () => hub.getState("outcome_stats")?.total;
    const caughtUp = () => {
      const s = hub.getState("outcome_stats");
      return s?.history.mode === "stream" && !s.history.loading;
    };
    await waitFor("history loaded", () => caughtUp() && total() === before);
    expect(hub.getState("outcome_stats")?.history).toMatchObject({ rolled_up: before });
    const js = jetstream(nats.nc);
    for (let i = 100; i < 110; i++) await js.publish(`${OUTCOME_TEST_PREFIX}.h`, outcome(i), { msgID: `restart-${i}` });
    await waitFor("10 more", () => total() === before + 10);

    await nats.srv.crash();
    await waitFor("live only while the server is down", () => hub.getState("outcome_stats")?.history.mode === "live_only");
    await nats.srv.restart();
    await waitFor("history consumer back", caughtUp, 30_000);
    for (let i = 110; i < 115; i++) await js.publish(`${OUTCOME_TEST_PREFIX}.h`, outcome(i), { msgID: `restart-${i}` });
    await waitFor("5 more, each outcome counted once", () => total() === before + 15);
  });
});
