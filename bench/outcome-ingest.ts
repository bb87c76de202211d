/**
 * Reflex outcome ingest figures on a local nats-server, all in one run:
 *  1. live ingest (parse, validate, aggregate into the hub) msgs/s vs a bare subscriber that only counts the
 *     same messages, each fed by the same publisher process;
 *  2. the in-process cost of parse + validate + aggregate alone (no NATS);
 *  3. loading 1 hour of history into the summary from a stream holding N outcomes, vs a bare ordered
 *     consumer that only counts them: replaying every outcome, and from per-minute rollups written by a
 *     dashboard that was running while the outcomes arrived (the normal case after a restart).
 *
 *   npm run bench:outcomes -- [--messages 300000] [--history 1000000] [--publishers 2] [--client-publisher] [--live-only]
 *
 * The publishers are separate processes, each its own connection, started together (--publishers). They write
 * pre-encoded HPUB frames to a socket (support/outcome-raw-publisher.ts): the official client's publisher
 * (--client-publisher) costs CPU that a 2-core machine takes from the subscriber being measured
 * (docs/benchmarks.md#outcome-ingest--benchoutcomes-benchoutcome-ingest-cputs). The output states the rate offered (all
 * published, from the go signal to the last publisher's flush) next to the rate each subscriber took them at.
 *
 * --live-only stops after 1 and 2 (the ingest figures; profile them with node --cpu-prof).
 */
import { fork } from "node:child_process";
import { performance } from "node:perf_hooks";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { OutcomeAggregator } from "../lib/outcomes/stats";
import { parseOutcome } from "../lib/outcomes/outcome";
import { Hub } from "../server/hub/hub";
import { startNatsServer } from "../server/nats-server-process";
import { createOutcomeIngest } from "../server/watchers/outcome-subscriber";
import { openRollupStore } from "../server/outcomes/rollup-store";
import { outcomeMessages } from "../testing/fixtures/outcome-payloads";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg("messages", 300_000);
const HISTORY = arg("history", 1_000_000);
const PUBLISHERS = arg("publishers", 2);
const PUBLISHER = process.argv.includes("--client-publisher") ? "outcome-publisher.ts" : "outcome-raw-publisher.ts";
const PREFIX = "reflex.outcome";
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/**
 * Runs PUBLISHERS publisher children for `count` messages between them, each on its own connection, all told
 * to go at once; `published` resolves with the ms from the go signal until the last of them has flushed.
 */
async function publish(url: string, count: number): Promise<{ goAt: number; avgBytes: number; published: Promise<number> }> {
  const share = Math.ceil(count / PUBLISHERS);
  const children = Array.from({ length: PUBLISHERS }, (_, p) => {
    const n = Math.max(0, Math.min(share, count - p * share));
    return fork(new URL(`./support/${PUBLISHER}`, import.meta.url).pathname, [url, String(n), String(p * share)], {
      execArgv: ["--import", "tsx"],
    });
  });
  const sizes = await Promise.all(
    children.map((child) => new Promise<number>((resolve) => child.once("message", (m: { avgBytes: number }) => resolve(m.avgBytes)))),
  );
  const done = children.map((child) => new Promise<void>((resolve) => child.on("message", (m: { done?: boolean }) => m.done && resolve())));
  const goAt = performance.now();
  for (const child of children) child.send({ go: true });
  const published = Promise.all(done).then(() => performance.now() - goAt);
  return { goAt, avgBytes: sizes[0]!, published };
}

/** This process's CPU time (user + system) per message since `from`: steadier than msgs/s on a loaded machine. */
function cpuMicrosPerMessage(from: NodeJS.CpuUsage, messages: number): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / Math.max(1, messages);
}

async function until(what: string, probe: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const server = await startNatsServer({});
try {
  console.log(
    `nats-server ${server.url}; ${N.toLocaleString()} live outcomes from ${PUBLISHERS} publisher connection(s), ${HISTORY.toLocaleString()} stored\n`,
  );

  // 1a. Bare subscriber: counts only.
  const ncBare = await connect({ servers: server.url });
  let bareCount = 0;
  let bareDoneAt = 0;
  ncBare.subscribe(`${PREFIX}.>`, {
    callback: () => {
      if (++bareCount === N) bareDoneAt = performance.now();
    },
  });
  await ncBare.flush();
  const bareCpu0 = process.cpuUsage();
  const bare = await publish(server.url, N);
  const pubMs = await bare.published;
  await until("bare subscriber", () => bareCount >= N, 120_000).catch(() => undefined);
  const bareRate = bareCount >= N ? N / ((bareDoneAt - bare.goAt) / 1000) : NaN;
  const bareCpuUs = cpuMicrosPerMessage(bareCpu0, bareCount);
  await ncBare.close();
  console.log(`avg outcome size ${fmt(bare.avgBytes)} B`);
  console.log(
    `bare subscriber (count only)            offered ${fmt(N / (pubMs / 1000))} msgs/s, took ${fmt(bareRate)} msgs/s${bareCount < N ? ` (got ${bareCount} of ${N})` : ""}; ${bareCpuUs.toFixed(1)} µs CPU/msg`,
  );

  // 1b. The dashboard's ingest, live-only (no stream yet): queue in the callback, parse/validate/aggregate per batch.
  const ncIngest = await connect({ servers: server.url });
  const jsm = await jetstreamManager(ncIngest);
  const hub = new Hub();
  let folded = 0;
  let ingestDoneAt = 0;
  const ingest = createOutcomeIngest({
    nc: ncIngest,
    jsm: async () => jsm,
    hub,
    prefix: PREFIX,
    stream: "REFLEX_OUTCOMES",
    onFlush: (n) => {
      folded += n;
      if (folded >= N && !ingestDoneAt) ingestDoneAt = performance.now();
    },
  });
  await until("live-only mode", () => hub.getState("outcome_stats")?.history.mode === "live_only", 10_000);
  await ncIngest.flush();
  const ingestCpu0 = process.cpuUsage();
  const live = await publish(server.url, N);
  const livePubMs = await live.published;
  await until("ingest", () => folded >= N, 120_000).catch(() => undefined);
  const ingestRate = folded >= N ? N / ((ingestDoneAt - live.goAt) / 1000) : NaN;
  const ingestCpuUs = cpuMicrosPerMessage(ingestCpu0, folded);
  // the summary is republished at most every 250 ms: read it once it has caught up with what was folded
  await until("summary", () => (hub.getState("outcome_stats")?.total ?? 0) >= folded, 2_000).catch(() => undefined);
  ingest.stop();
  const s = hub.getState("outcome_stats")!;
  console.log(
    `busdeck ingest (parse+validate+aggregate) offered ${fmt(N / (livePubMs / 1000))} msgs/s, took ${fmt(ingestRate)} msgs/s${folded < N ? ` (got ${folded} of ${N})` : ""}  → ${(ingestRate / bareRate).toFixed(2)}× bare; ${ingestCpuUs.toFixed(1)} µs CPU/msg`,
  );
  console.log(
    `  folded: total ${fmt(s.total)}, malformed ${fmt(s.malformed)}, errored ${fmt(Object.values(s.handlers).reduce((n, h) => n + h.errored, 0))}, ${s.groups.length} error groups`,
  );

  // 2. CPU only: the same work without NATS.
  const pool = outcomeMessages(2_000);
  const agg = new OutcomeAggregator();
  const reps = Math.ceil(N / pool.length);
  const t2 = performance.now();
  const at = new Date().toISOString();
  for (let r = 0; r < reps; r++)
    for (let i = 0; i < pool.length; i++)
      agg.add(parseOutcome({ id: String(i), subject: pool[i]!.subject, data: pool[i]!.data, received_at: at, prefix: PREFIX }));
  console.log(
    `parse+validate+aggregate, in-process     ${fmt((reps * pool.length) / ((performance.now() - t2) / 1000))} msgs/s (no NATS, no headers)`,
  );

  if (process.argv.includes("--live-only")) {
    await ncIngest.close();
    await server.stop();
    process.exit(0);
  }

  // 3. History: a stream holding HISTORY outcomes, all stored within the last hour.
  await jsm.streams.add({ name: "REFLEX_OUTCOMES", subjects: [`${PREFIX}.>`], max_bytes: 4 * 1024 ** 3 });
  // A dashboard running while the outcomes arrive: it writes the per-minute rollups a restart loads from.
  const rollupStore = await openRollupStore(ncIngest, jsm);
  const writerHub = new Hub();
  const writer = createOutcomeIngest({
    nc: ncIngest,
    jsm: async () => jsm,
    hub: writerHub,
    prefix: PREFIX,
    stream: "REFLEX_OUTCOMES",
    checkMs: 1_000,
    rollups: async () => rollupStore,
  });
  console.log("\nfilling the history stream (a dashboard follows it and writes rollups)…");
  const fill = await publish(server.url, HISTORY);
  await fill.published;
  // Core publishes the stream could not take are lost, not retried: wait until the count stops moving.
  let stored = -1;
  for (;;) {
    const si = await jsm.streams.info("REFLEX_OUTCOMES");
    if (si.state.messages >= HISTORY || si.state.messages === stored) {
      console.log(
        `\nstream REFLEX_OUTCOMES: ${fmt(si.state.messages)} outcomes, ${fmt(si.state.bytes / 1024 ** 2)} MiB (filled in ${((performance.now() - fill.goAt) / 1000).toFixed(1)} s)`,
      );
      break;
    }
    stored = si.state.messages;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  const lastSeq = (await jsm.streams.info("REFLEX_OUTCOMES")).state.last_seq;
  const tw = performance.now();
  await until("rollups of every closed minute", () => writerHub.getState("outcome_stats")!.total >= lastSeq, 600_000);
  let rolled = await rollupStore.load(0);
  while (rolled.resumeSeq < lastSeq) {
    await new Promise((r) => setTimeout(r, 1_000));
    rolled = await rollupStore.load(0);
  }
  writer.stop();
  console.log(
    `rollups written: ${fmt(rolled.rollups.length)} records for ${fmt(new Set(rolled.rollups.map((r) => r.minute)).size)} minutes (waited ${fmt((performance.now() - tw) / 1000)} s for the last minute to close)`,
  );
  const from = new Date(Date.now() - 3_600_000).toISOString();

  // 3a. Bare ordered consumer: count the hour's messages.
  const js = jetstream(ncIngest);
  const oc = await js.consumers.get("REFLEX_OUTCOMES", { opt_start_time: from });
  let counted = 0;
  const t3 = performance.now();
  await new Promise<void>((resolve) => {
    void oc.consume({
      max_messages: 10_000,
      callback: (m) => {
        counted++;
        if (m.info.pending === 0) resolve();
      },
    });
  });
  const bareHistoryMs = performance.now() - t3;
  console.log(
    `bare ordered consumer, 1 h of history    ${fmt(counted)} msgs in ${fmt(bareHistoryMs)} ms (${fmt(counted / (bareHistoryMs / 1000))} msgs/s)`,
  );

  // 3b. busdeck: replay the hour into the summary.
  const hub2 = new Hub();
  const t4 = performance.now();
  const replay = createOutcomeIngest({
    nc: ncIngest,
    jsm: async () => jsm,
    hub: hub2,
    prefix: PREFIX,
    stream: "REFLEX_OUTCOMES",
    historyMs: 3_600_000,
  });
  await until(
    "history load",
    () => {
      const h = hub2.getState("outcome_stats")?.history;
      return h?.mode === "stream" && !h.loading;
    },
    300_000,
  );
  const loadMs = performance.now() - t4;
  const s2 = hub2.getState("outcome_stats")!;
  replay.stop();
  console.log(
    `busdeck history load, replaying all      ${fmt(s2.total)} outcomes in ${fmt(loadMs)} ms (${fmt(s2.total / (loadMs / 1000))} msgs/s; ${(bareHistoryMs / loadMs).toFixed(2)}× bare)`,
  );

  // 3c. busdeck after a restart: the summary from the rollups, the feed from the newest records.
  const hub3 = new Hub();
  const t5 = performance.now();
  const fast = createOutcomeIngest({
    nc: ncIngest,
    jsm: async () => jsm,
    hub: hub3,
    prefix: PREFIX,
    stream: "REFLEX_OUTCOMES",
    historyMs: 3_600_000,
    rollups: async () => rollupStore,
  });
  await until(
    "rollup load",
    () => {
      const h = hub3.getState("outcome_stats")?.history;
      return h?.mode === "stream" && !h.loading;
    },
    300_000,
  );
  const rollupMs = performance.now() - t5;
  const s3 = hub3.getState("outcome_stats")!;
  fast.stop();
  const h3 = s3.history.mode === "stream" ? s3.history : null;
  console.log(
    `busdeck history load, from rollups       ${fmt(s3.total)} outcomes in ${fmt(rollupMs)} ms (${fmt(h3?.rolled_up ?? 0)} rolled up, ${fmt(h3?.loaded_count ?? 0)} replayed; ${(bareHistoryMs / rollupMs).toFixed(1)}× faster than bare)`,
  );
  console.log(
    `  same summary as the full replay: ${s3.total === s2.total && JSON.stringify(s3.groups.map((g) => [g.key, g.count])) === JSON.stringify(s2.groups.map((g) => [g.key, g.count])) ? "yes" : "NO"}`,
  );
  console.log(`  peak RSS ${fmt(process.memoryUsage().rss / 1024 ** 2)} MiB`);
  await ncIngest.close();
} finally {
  await server.stop();
}
process.exit(0);
