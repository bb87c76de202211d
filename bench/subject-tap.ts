/**
 * The subject tap at 100,000 msgs/s offered on `>`: a raw-socket publisher in a child process (so its CPU is not
 * on the measured event loop) offers the rate on 50 `bench.tap.…` subjects, plus 200 msg/s on `app.orders.*`. The
 * whole runtime (createRuntime: the elected sampler's JetStream sampling every second and the tap, budget
 * BUSDECK_SUBJECT_TAP_MAX_RATE's default) runs in this process. Prints what the server sent busdeck's connection
 * per second (its /connz out_msgs), the tap's modes, the event loop's longest stall, whether the server ever cut the
 * connection off as a slow consumer, and another view's freshness: a reader in a second child process follows the
 * `consumers` topic over SSE, first for `--quiet` seconds without the flood, then during it. Its figures are each
 * sample's age on arrival (arrival − sampled_at) and the view's worst staleness (the newest sample's age just
 * before the next one arrives). A bench prints figures; it is never a test.
 *
 *   npm run bench:subject-tap -- [--seconds 20] [--quiet 10] [--rate 100000] [--budget 20000] [--off]
 */
import { fork } from "node:child_process";
import http from "node:http";
import { Readable } from "node:stream";
import { connect as tcpConnect } from "node:net";
import { cpus, loadavg } from "node:os";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { connect } from "@nats-io/transport-node";
import { AckPolicy, jetstreamManager } from "@nats-io/jetstream";
import { startNatsServer } from "../server/nats-server-process";
import { createRuntime } from "../server/runtime";
import { createSseStream } from "../server/sse";
import { DEFAULT_TAP_MAX_RATE, type TapMode } from "../lib/bus/subject-tap";
import { ownConnectionName } from "../lib/own-resources";
import type { DashboardEvent } from "../lib/wire/topics";
import { openClients } from "../testing/sse/sse-clients";
import { waitFor } from "../testing/wait-for";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

/** Child mode: `publisher <host:port> <rate> <seconds>` writes PUB frames paced in 10 ms slices. */
async function publisher(hostPort: string, rate: number, seconds: number) {
  const [host, port] = hostPort.split(":");
  const socket = tcpConnect({ host, port: Number(port) });
  socket.setNoDelay(true);
  socket.on("data", (b: Buffer) => {
    if (b.toString("latin1").includes("PING\r\n")) socket.write("PONG\r\n");
  });
  await new Promise<void>((r) => socket.once("connect", () => r()));
  socket.write(`CONNECT ${JSON.stringify({ verbose: false, pedantic: false, name: "bench-firehose", protocol: 1 })}\r\n`);
  process.send?.({ started: Date.now() });
  const payload = "x".repeat(64);
  const frames = Array.from({ length: 50 }, (_, i) => `PUB bench.tap.s${i % 10}.k${i} ${payload.length}\r\n${payload}\r\n`);
  const perSlice = Math.round(rate / 100);
  // Beside the firehose, a quiet application (200 msg/s on app.orders.*): what a narrowed tap keeps.
  const quiet = `PUB app.orders.created 16\r\n${"q".repeat(16)}\r\nPUB app.orders.paid 16\r\n${"q".repeat(16)}\r\n`;
  const slice = Buffer.from(Array.from({ length: perSlice }, (_, i) => frames[i % frames.length]).join("") + quiet, "latin1");
  const start = performance.now();
  let sent = 0;
  for (let k = 0; performance.now() - start < seconds * 1000; k++) {
    if (!socket.write(slice)) await new Promise<void>((r) => socket.once("drain", () => r()));
    sent += perSlice;
    const due = start + (k + 1) * 10;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const took = (performance.now() - start) / 1000;
  process.send?.({ sent, seconds: took });
  socket.end();
}

interface Arrival {
  at: number;
  sampledAt: number;
}

/** Child mode: `reader <url>` follows the consumers topic over SSE and reports each new sample's arrival. */
async function reader(url: string) {
  let last = 0;
  await openClients(url, 1, 1, {
    onData: (data, receivedAt) => {
      const e = JSON.parse(data) as DashboardEvent;
      if (e.type !== "state" || e.topic !== "consumers" || !e.data.sampled_at) return;
      const sampledAt = Date.parse(e.data.sampled_at);
      if (sampledAt === last) return;
      last = sampledAt;
      process.send?.({ at: receivedAt, sampledAt } satisfies Arrival);
    },
  });
  process.once("disconnect", () => process.exit(0));
}

/** Ages on arrival and the worst staleness between arrivals, for the arrivals in [from, to). */
function freshness(arrivals: readonly Arrival[], from: number, to: number) {
  const inPhase = arrivals.filter((a) => a.at >= from && a.at < to);
  const ages = inPhase.map((a) => a.at - a.sampledAt).sort((a, b) => a - b);
  let worst = 0;
  for (let i = 1; i < arrivals.length; i++) {
    const a = arrivals[i]!;
    if (a.at >= from && a.at < to) worst = Math.max(worst, a.at - arrivals[i - 1]!.sampledAt);
  }
  return {
    n: inPhase.length,
    p50: ages[Math.floor(ages.length / 2)] ?? NaN,
    max: ages.at(-1) ?? NaN,
    worst,
  };
}

async function main() {
  const seconds = arg("seconds", 20);
  const quiet = arg("quiet", 10);
  const rate = arg("rate", 100_000);
  const budget = arg("budget", DEFAULT_TAP_MAX_RATE);
  const server = await startNatsServer({});
  // What the Consumers view shows: one stream with a consumer, sampled every second by the elected sampler.
  const admin = await connect({ servers: server.url, name: "bench-admin" });
  const jsm = await jetstreamManager(admin);
  await jsm.streams.add({ name: "BENCH_ORDERS", subjects: ["bench.orders.>"] });
  await jsm.consumers.add("BENCH_ORDERS", { durable_name: "billing", ack_policy: AckPolicy.Explicit });
  await admin.close();
  // --off: the same firehose with no tap, for the machine's own stalls under that load.
  const off = process.argv.includes("--off");
  const holder = "bench-tap";
  const rt = await createRuntime({
    NATS_URL: server.url,
    BUSDECK_FLEET_ID: holder,
    BUSDECK_SUBJECT_TAP: off ? "off" : ">",
    BUSDECK_SUBJECT_TAP_MAX_RATE: String(budget),
    BUSDECK_SAMPLE_INTERVAL_MS: "1000",
    BUSDECK_HISTORY: "0",
    BUSDECK_DEMO: "0",
  });
  const nc = await rt.nc;
  const hub = rt.hub;
  const disconnects: string[] = [];
  void (async () => {
    for await (const s of nc.status()) if (s.type === "disconnect" || s.type === "error") disconnects.push(s.type);
  })();
  if (!off) await waitFor("the tap on the elected sampler", () => rt.subjectTap() !== null);
  await waitFor("a consumers sample", () => hub.getState("consumers")?.sampled_at);
  const sse = http.createServer((req, res) => {
    const abort = new AbortController();
    req.on("close", () => abort.abort());
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache, no-transform" });
    Readable.fromWeb(createSseStream(hub, ["consumers"], undefined, abort.signal) as import("node:stream/web").ReadableStream).pipe(res);
  });
  await new Promise<void>((r) => sse.listen(0, "127.0.0.1", () => r()));
  const arrivals: Arrival[] = [];
  const readerChild = fork(fileURLToPath(import.meta.url), ["reader", `http://127.0.0.1:${(sse.address() as { port: number }).port}/`], {
    execArgv: process.execArgv,
  });
  readerChild.on("message", (m) => arrivals.push(m as Arrival));
  const modes = new Map<TapMode, number>();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const connName = ownConnectionName(holder);
  const outMsgs = async () => {
    const connz = (await (await fetch(`${server.monitorUrl}/connz`)).json()) as { connections: { name?: string; out_msgs: number }[] };
    return connz.connections.find((c) => c.name === connName)?.out_msgs ?? 0;
  };
  try {
    // The reader (a child process) is connected once its first sample arrived: the quiet phase starts then.
    await waitFor("the reader's first sample", () => arrivals.length > 0, 60_000);
    const quietFrom = Date.now();
    await new Promise((r) => setTimeout(r, quiet * 1000));
    const quietTo = Date.now();
    const cpu0 = process.cpuUsage();
    const load0 = loadavg()[0]!;
    loop.enable();
    const child = fork(fileURLToPath(import.meta.url), ["publisher", server.url.replace(/^nats:\/\//, ""), String(rate), String(seconds)], {
      execArgv: process.execArgv,
    });
    // The flood phase starts when the publisher has connected (its own start-up is no flood).
    let floodFrom = Number.POSITIVE_INFINITY;
    const offered = new Promise<{ sent: number; seconds: number }>((r) =>
      child.on("message", (m: { started?: number; sent?: number; seconds?: number }) =>
        m.started !== undefined ? (floodFrom = m.started) : r(m as never),
      ),
    );
    let last = await outMsgs();
    const perSecond: number[] = [];
    const tick = setInterval(async () => {
      const now = await outMsgs();
      perSecond.push(now - last);
      last = now;
      const mode = hub.getState("bus_subjects")!.tap.mode;
      modes.set(mode, (modes.get(mode) ?? 0) + 1);
    }, 1_000);
    const o = await offered;
    const floodTo = Date.now();
    clearInterval(tick);
    loop.disable();
    const cpu = process.cpuUsage(cpu0);
    const snap = hub.getState("bus_subjects")!;
    const closed = (await (await fetch(`${server.monitorUrl}/connz?state=closed`)).json()) as {
      connections?: { name?: string; reason?: string }[];
    };
    const slow = (closed.connections ?? []).filter((c) => c.name === connName && /slow/i.test(c.reason ?? ""));
    const sorted = [...perSecond].sort((a, b) => a - b);
    console.log(
      `subject tap bench: ${seconds}s offered on ">" (nats-server ${server.url}), budget ${budget.toLocaleString("en-US")} msg/s`,
    );
    console.log(`  offered: ${Math.round(o.sent / o.seconds).toLocaleString("en-US")} msg/s (${o.sent.toLocaleString("en-US")} msgs)`);
    console.log(
      `  sent to busdeck's connection per second (server /connz): max ${sorted.at(-1)?.toLocaleString("en-US")}, median ${sorted[Math.floor(sorted.length / 2)]?.toLocaleString("en-US")}, total ${perSecond.reduce((a, b) => a + b, 0).toLocaleString("en-US")}`,
    );
    console.log(
      `  seconds by tap mode: ${[...modes].map(([m, n]) => `${m} ${n}`).join(", ")}; last: ${snap.tap.mode} — ${snap.tap.reason ?? "no reason"}`,
    );
    const app = snap.subjects.filter((x) => x.subject.startsWith("app.")).reduce((n, x) => n + x.msgs_per_s, 0);
    console.log(`  app.orders.* as the tap measured it (window, last): ${app.toFixed(0)} msg/s of 200 offered`);
    console.log(`  rate seen at the last trip: ${Math.round(snap.tap.seen?.msgs_per_s ?? 0).toLocaleString("en-US")} msg/s`);
    console.log(`  event loop: max stall ${(loop.max / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms`);
    console.log(
      `  busdeck process CPU (runtime: tap, sampler, SSE): ${(((cpu.user + cpu.system) / 1e6 / o.seconds) * 100).toFixed(0)}% of a core`,
    );
    console.log(`  slow-consumer cut-offs of the tap's connection: ${slow.length}; client disconnects/errors: ${disconnects.length}`);
    const ms = (n: number) => `${Math.round(n)} ms`;
    for (const [label, f] of [
      [`quiet ${quiet}s`, freshness(arrivals, quietFrom, quietTo)],
      ["flood", freshness(arrivals, floodFrom, floodTo)],
    ] as const)
      console.log(
        `  consumers view over SSE, ${label}: ${f.n} samples, age on arrival median ${ms(f.p50)}, max ${ms(f.max)}; worst staleness ${ms(f.worst)}`,
      );
    console.log(`  load average (1 min) before/after: ${load0.toFixed(2)} / ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores`);
  } finally {
    readerChild.kill();
    sse.closeAllConnections();
    sse.close();
    await rt.stop();
    await server.stop();
  }
}

if (process.argv[2] === "publisher") await publisher(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]));
else if (process.argv[2] === "reader") await reader(process.argv[3]!);
else await main();
