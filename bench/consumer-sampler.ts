/**
 * Consumer sampler benchmark (docs/benchmarks.md#consumer-sampler--benchconsumer-sampler). Prints figures; asserts
 * nothing.
 *
 *   npm run bench:consumer-sampler -- [--streams 100] [--consumers 100] [--rounds 30] [--lagging 100] [--churn 10] [--warmup 32] [--cpu-prof FILE] [--alloc-prof FILE] [--heap-snapshot FILE] [--each-round]
 *
 * On a fresh local nats-server: STREAMS streams × CONSUMERS durable pull consumers, a few messages per stream;
 * LAGGING percent of the consumers start at the first message (lag, an ack floor to look up), the rest at new
 * messages only (caught up, as most of a real fleet is). Between rounds one message goes to CHURN percent of the
 * streams. WARMUP samples first (default 32: health windows and 30-point sparklines full, as on any dashboard
 * open for more than half a minute). Then ROUNDS rounds of one churn and one of each below, the bare side first in
 * even rounds and the full sample first in odd ones (so neither side always runs right after the churn), each
 * order's medians also printed apart:
 *   bare  — the JetStream list calls that fetch the same data: the paged stream list, then one paged
 *           consumer list per stream with the sampler's concurrency (8), in a process of its own with the same
 *           node flags (bench/support/bare-lister.ts), so each side's garbage is collected in its own time;
 *   full  — one complete sampler tick: the same calls plus mapping, the consumer tracker (window, health,
 *           rates, lag seconds with its budgeted exact message lookups, history; each stream's consumers as
 *           soon as their list is in) and publishing to the hub.
 * After each full sample (not in its time), the findings engine evaluates it as the elected sampler does: its CPU
 * against the sample's, with the number of findings open (#28: ≤ 10 % of a sample's CPU at 10,000 consumers).
 * Also what reaches a browser per sample: the whole `consumers` snapshot, against the `consumer_rows` topic's first
 * state and its patches (only the rows that changed), and the hub flush that builds and encodes that patch right
 * after the sample (in the server it runs on the hub's own timer), and a page opening after each sample: the whole
 * first state it is sent in one turn of the event loop. --each-round prints every round's figures. With
 * --cpu-prof FILE, this process's CPU profile of the measured rounds only (no setup, no warm-up; opens in
 * DevTools); with --alloc-prof FILE, where those rounds allocate, garbage included; with --heap-snapshot FILE, what
 * lives in this process's heap after the warm-up (what every major GC marks). (`--conditions=react-server` makes
 * the `server-only` guard a no-op outside Next.)
 */
import { fork } from "node:child_process";
import { parseArgs } from "node:util";
import { writeHeapSnapshot } from "node:v8";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { ConsumerTracker } from "../server/consumers/tracker";
import { jetStreamPublishTime } from "../server/consumers/insights";
import { deriveConsumerRows } from "../server/consumers/rows";
import { Hub, type HubSink } from "../server/hub/hub";
import { CLIENT_TUNING } from "../server/nats-connection";
import { startNatsServer } from "../server/nats-server-process";
import { createSampleTick } from "../server/samplers/jetstream-sampler";
import { createFindingsEngine } from "../server/findings/engine";
import type { BareResult } from "./support/bare-lister";
import { createConsumerLayout } from "../testing/nats/consumer-layout";
import { recordGc } from "./support/gc-time";
import { startAllocationProfile, startCpuProfile } from "./support/cpu-profile";
import { p50, percentile } from "../testing/probes/proc-stats";

const { values } = parseArgs({
  options: {
    streams: { type: "string", default: "100" },
    consumers: { type: "string", default: "100" },
    rounds: { type: "string", default: "30" },
    messages: { type: "string", default: "20" },
    lagging: { type: "string", default: "100" },
    churn: { type: "string", default: "10" },
    warmup: { type: "string", default: "32" },
    "cpu-prof": { type: "string" },
    "alloc-prof": { type: "string" },
    "heap-snapshot": { type: "string" },
    "each-round": { type: "boolean", default: false },
  },
});
const LAGGING_PCT = Number(values.lagging);
const CHURN_PCT = Number(values.churn);
const WARMUP = Number(values.warmup);
const STREAMS = Number(values.streams);
const PER_STREAM = Number(values.consumers);
const ROUNDS = Number(values.rounds);
const MESSAGES = Number(values.messages);
const CONCURRENCY = 8;

const ms = (t0: number) => performance.now() - t0;
const fmt = (x: number) => `${x.toFixed(0)} ms`;

const srv = await startNatsServer();
// with busdeck's client options, as the bare side (bench/support/bare-lister.ts)
const nc = await connect({ ...CLIENT_TUNING, servers: srv.url });
try {
  const jsm = await jetstreamManager(nc);
  const setup0 = performance.now();
  const js = jetstream(nc);
  const streamNames = await createConsumerLayout(nc, {
    streams: STREAMS,
    perStream: PER_STREAM,
    messages: MESSAGES,
    laggingPct: LAGGING_PCT,
  });
  console.log(
    `setup: ${STREAMS} streams × ${PER_STREAM} consumers (${LAGGING_PCT}% lagging), ${MESSAGES} msgs/stream on nats-server 2.9 in ${(ms(setup0) / 1000).toFixed(1)} s`,
  );

  // wall time is what the targets are about; busdeck-side CPU is printed too because other work on a
  // shared machine inflates wall time but not this process's CPU
  const cpuMs = (c0: NodeJS.CpuUsage) => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  const bareCpu: number[] = [];
  const fullCpu: number[] = [];
  const rulesCpu: number[] = [];
  // GC pauses within each measured span: on 2 cores busdeck runs with --single-threaded-gc, so every collection
  // is main-thread time the sample waits for
  const gc = recordGc();
  const fullSpans: { from: number; to: number }[] = [];
  // The bare side runs in a process of its own, with the same node flags (bench/support/bare-lister.ts).
  const lister = fork(new URL("./support/bare-lister.ts", import.meta.url).pathname, [srv.url, String(CONCURRENCY)], {
    execArgv: process.execArgv,
  });
  await new Promise<void>((resolve) => lister.once("message", () => resolve()));
  const bareGc: { ms: number; majorMs: number }[] = [];
  const bare = async () => {
    const result = await new Promise<BareResult>((resolve) => {
      lister.once("message", (m) => resolve(m as BareResult));
      lister.send({ run: true });
    });
    bareCpu.push(result.cpuMs);
    bareGc.push({ ms: result.gcMs, majorMs: result.majorGcMs });
    return result;
  };

  // The hub flushes only when the bench says so (no timer), so the flush below is timed where it runs.
  const hub = new Hub({ flushIntervalMs: 3_600_000, stateIntervalMs: 0 });
  deriveConsumerRows(hub); // as the runtime does: the rows' diff is part of what publishing a sample costs
  const tracker = new ConsumerTracker({ intervalMs: 1_000, fetchPublishTime: jetStreamPublishTime(async () => jsm) });
  // how much of a full sample the tracker takes (the rest: the list calls, mapping, the hub); the sampler hands it
  // each stream's consumers as their list arrives, so this is the sum of those calls, not a span of the sample
  const trackerMs: number[] = [];
  const begin = tracker.begin.bind(tracker);
  tracker.begin = (...args) => {
    let spent = 0;
    const timed =
      <A extends unknown[], R>(f: (...a: A) => R) =>
      (...a: A): R => {
        const t0 = performance.now();
        try {
          return f(...a);
        } finally {
          spent += ms(t0);
        }
      };
    const sample = timed(begin)(...args);
    const finish = timed(sample.finish);
    return {
      add: timed(sample.add),
      keep: timed(sample.keep),
      finish: (parts) => {
        const out = finish(parts);
        trackerMs.push(spent);
        return out;
      },
    };
  };
  const tick = createSampleTick({ jsm: async () => jsm, hub, intervalMs: 1_000, concurrency: CONCURRENCY, tracker });
  const findings = createFindingsEngine({ hub });
  // One open consumers page streams the rows topic: bytes per flush. (No page streams the whole `consumers`
  // snapshot any more; its size is printed from one JSON.stringify at the end.)
  const rowsWire: number[] = [];
  const sink: HubSink = {
    write: (chunk) => rowsWire.push(typeof chunk === "string" ? chunk.length : chunk.byteLength),
    isBackedUp: () => false,
    close: () => {},
  };
  hub.subscribe(sink, ["consumer_rows"]);
  const flushMs: number[] = [];
  const newPageMs: number[] = [];
  const churn = async () => {
    const every = Math.max(1, Math.round(100 / Math.max(CHURN_PCT, 1e-9)));
    if (CHURN_PCT > 0) for (let k = 0; k < STREAMS; k += every) await js.publish(`${streamNames[k]}.evt`, "churn");
  };
  // Samples come at the sampler's interval, as in the server: the health rules' evidence quotes the window's
  // span, so back-to-back samples would change every row's text each time and inflate the patches.
  let lastFullAt = -Infinity;
  const full = async () => {
    const wait = lastFullAt + 1_000 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    lastFullAt = performance.now();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await tick();
    fullCpu.push(cpuMs(c0));
    fullSpans.push({ from: t0, to: performance.now() });
    const took = ms(t0);
    // serializing for clients is the hub's flush, on its own timer in the server: timed apart from the sample
    const f1 = performance.now();
    hub.flush();
    flushMs.push(ms(f1));
    const r0 = process.cpuUsage();
    findings.evaluate({ streams: hub.getState("streams")!, consumers: hub.getState("consumers")! });
    rulesCpu.push(cpuMs(r0));
    // a page opening now: its first frame, the whole consumer_rows state of this version, built and written in
    // the subscribe call (one event-loop turn)
    const n0 = performance.now();
    hub.subscribe({ write: () => {}, isBackedUp: () => false, close: () => {} }, ["consumer_rows"])();
    newPageMs.push(ms(n0));
    return took;
  };

  // warm-up: connections, the first exact lookups, JIT
  await bare();
  const heap0 = process.memoryUsage().heapUsed;
  await full();
  await tracker.settled();
  const firstFlushMs = flushMs[0] ?? NaN; // the whole first state, not a patch
  const firstRows = rowsWire.splice(0).reduce((a, b) => a + b, 0);
  // then to the steady state an open dashboard lives in: full health windows and sparklines (the first ticks
  // change every row anyway, as windows and sparklines fill)
  for (let w = 1; w < WARMUP; w++) {
    await churn();
    await bare(); // the bare side's process warms up too: JIT, young generation grown to its size
    await full();
  }
  await tracker.settled();
  bareCpu.length = 0;
  bareGc.length = 0;
  fullCpu.length = 0;
  rulesCpu.length = 0;
  fullSpans.length = 0;
  flushMs.length = 0;
  newPageMs.length = 0;
  rowsWire.length = 0;

  if (values["heap-snapshot"]) console.log(`heap snapshot after the warm-up: ${writeHeapSnapshot(values["heap-snapshot"])}`);
  const profiler = values["cpu-prof"] ? await startCpuProfile() : null;
  const allocations = values["alloc-prof"] ? await startAllocationProfile() : null;
  const bareMs: number[] = [];
  const fullMs: number[] = [];
  let seen = 0;
  // Which side runs first alternates: the first comes right after the churn (a server that has just stored
  // messages), the second after the first, and the full sample paces itself to the sampler's interval (it may
  // wait). In one fixed order one side always met the server in the same state; the bare side's medians read
  // 55 ms when first and 75 ms when second in one run.
  const bareFirst: boolean[] = [];
  // what the GC settings cost in memory (the node flags trade it for GC time): this process after each round
  const rssMiB: number[] = [];
  const heapMiB: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    await churn();
    const first = r % 2 === 0;
    bareFirst.push(first);
    let b: BareResult;
    if (first) {
      b = await bare();
      fullMs.push(await full());
    } else {
      fullMs.push(await full());
      b = await bare();
    }
    seen = b.consumers;
    bareMs.push(b.ms);
    const mem = process.memoryUsage();
    rssMiB.push(mem.rss / 2 ** 20);
    heapMiB.push(mem.heapUsed / 2 ** 20);
    if (values["each-round"])
      console.log(
        `  round ${r} (${first ? "bare first" : "full first"}): bare ${b.ms.toFixed(0)} ms (CPU ${b.cpuMs.toFixed(0)} ms), full ${fullMs[r]!.toFixed(0)} ms (CPU ${fullCpu[fullCpu.length - 1]!.toFixed(0)} ms, tracker ${trackerMs[trackerMs.length - 1]!.toFixed(0)} ms)`,
      );
  }
  if (profiler) console.log(`CPU profile of the measured rounds: ${await profiler.stop(values["cpu-prof"]!)}`);
  if (allocations) console.log(`allocation profile of the measured rounds: ${await allocations.stop(values["alloc-prof"]!)}`);
  const snap = hub.getState("consumers")!;
  const json = JSON.stringify(snap);
  const exact = snap.consumers.filter((c) => c.insight?.lag_seconds_source === "exact").length;
  const interp = snap.consumers.filter((c) => c.insight?.lag_seconds_source === "interpolated").length;
  const p50b = p50(bareMs);
  const p50f = p50(fullMs);
  console.log(`consumers per sample: ${seen} (hub snapshot: ${snap.consumers.length}, status ${snap.status})`);
  console.log(`bare list calls  p50 ${fmt(p50b)}  min ${fmt(Math.min(...bareMs))}  max ${fmt(Math.max(...bareMs))}`);
  console.log(`full sample      p50 ${fmt(p50f)}  min ${fmt(Math.min(...fullMs))}  max ${fmt(Math.max(...fullMs))}`);
  console.log(`busdeck-side CPU per sample p50: bare ${fmt(p50(bareCpu.slice(1)))}, full ${fmt(p50(fullCpu.slice(1)))}`);
  console.log(
    `load average at the end: ${(await import("node:os"))
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")} on ${(await import("node:os")).cpus().length} cores`,
  );
  console.log(`  of which tracker p50 ${fmt(p50(trackerMs.slice(1)))}`);
  const open = hub.getState("findings")?.open.length ?? 0;
  console.log(
    `findings rules after each sample: CPU p50 ${fmt(p50(rulesCpu))}, max ${fmt(Math.max(...rulesCpu))} = ${((100 * p50(rulesCpu)) / p50(fullCpu.slice(1))).toFixed(1)} % of the sample's CPU p50 (target ≤ 10 %), ${open} findings open`,
  );
  await new Promise((r) => setTimeout(r, 50)); // the last GC entries are delivered asynchronously
  const gcIn = (kind: "bare" | "full") => (kind === "bare" ? bareGc : fullSpans.map((s) => gc.within(s.from, s.to)));
  for (const kind of ["bare", "full"] as const) {
    const g = gcIn(kind);
    console.log(
      `  GC pauses during ${kind} p50 ${fmt(p50(g.map((x) => x.ms)))} (major GC in ${g.filter((x) => x.majorMs > 0).length} of ${g.length})`,
    );
  }
  // and over the whole measured stretch, between samples too: a major GC's marking is paid wherever it falls
  const all = gc.within(fullSpans[0]!.from, fullSpans[fullSpans.length - 1]!.to);
  console.log(`  GC over the measured rounds: ${fmt(all.ms / ROUNDS)} a round, of which major ${fmt(all.majorMs / ROUNDS)}`);
  gc.stop();
  console.log(`full / bare (p50): ${(p50f / p50b).toFixed(2)}×   (target ≤ 1.5×, full ≤ 2000 ms)`);
  // each round's full sample against the bare calls just before it: steadier than the ratio of the two medians
  // when the machine's load drifts over the run
  const paired = fullMs.map((f, k) => f / bareMs[k]!).sort((a, b) => a - b);
  // the full side's times are bimodal (a major GC lands in every other sample, by which side went first): the mean
  // counts that GC at its real weight, where a median sees one mode or the other
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    `full / bare (mean): ${(mean(fullMs) / mean(bareMs)).toFixed(2)}×   (full mean ${fmt(mean(fullMs))}, bare mean ${fmt(mean(bareMs))})`,
  );
  console.log(
    `full / bare per round: p50 ${percentile(paired, 50).toFixed(2)}×, p25–p75 ${percentile(paired, 25).toFixed(2)}–${percentile(paired, 75).toFixed(2)}×`,
  );
  for (const first of [true, false]) {
    const ks = bareMs.map((_, k) => k).filter((k) => bareFirst[k] === first);
    console.log(
      `  rounds with ${first ? "bare" : "full"} first: bare p50 ${fmt(p50(ks.map((k) => bareMs[k]!)))}, full p50 ${fmt(p50(ks.map((k) => fullMs[k]!)))}`,
    );
  }
  console.log(
    `lag seconds after ${ROUNDS + WARMUP} ticks: ${exact} exact, ${interp} interpolated (exact lookups run in the background, 32 per tick; ack floors here never move)`,
  );
  console.log(
    `this process after each round: RSS p50 ${p50(rssMiB).toFixed(0)} MiB, max ${Math.max(...rssMiB).toFixed(0)} MiB; JS heap used p50 ${p50(heapMiB).toFixed(0)} MiB, max ${Math.max(...heapMiB).toFixed(0)} MiB`,
  );
  console.log(
    `consumers snapshot JSON: ${(json.length / 1024 / 1024).toFixed(2)} MiB; heap growth over the run ≈ ${((process.memoryUsage().heapUsed - heap0) / 1024 / 1024).toFixed(0)} MiB`,
  );
  const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  // after the first state (retry, hello and the whole list), every frame is one sample's update
  const perUpdate = (frames: number[]) => [...frames].sort((a, b) => a - b);
  const rowsSteady = perUpdate(rowsWire);
  console.log(`wire per consumers update, before (whole 'consumers' snapshot): ${kib(json.length)} every sample`);
  console.log(
    `wire per consumers update, after ('consumer_rows'): first ${kib(firstRows)}, then patches p50 ${kib(p50(rowsSteady))} max ${kib(Math.max(...rowsSteady))} (churn: ${CHURN_PCT}% of streams get a message per sample; a row is resent when a column changes, not when only a stuck consumer's lag seconds grow)`,
  );
  console.log(
    `hub flush after each sample (build, serialize and encode the consumer_rows patch for one page) p50 ${fmt(p50(flushMs))}  max ${fmt(Math.max(...flushMs))}; the first whole state ${fmt(firstFlushMs)}`,
  );
  console.log(
    `a page opening after each sample (its whole first state, built and written in one turn of the event loop) p50 ${fmt(p50(newPageMs))}  max ${fmt(Math.max(...newPageMs))} (target ≤ 50 ms)`,
  );
  hub.close();
  lister.send({ stop: true });
} finally {
  await nc.close();
  await srv.stop();
}
