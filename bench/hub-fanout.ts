/**
 * Hub fan-out benchmark (docs/benchmarks.md#sse-fan-out--benchhub-benchsoak). Prints figures; asserts nothing.
 *
 *   npx tsx bench/hub-fanout.ts [--clients 1000] [--rate 1000] [--duration 60] [--dist .next-bench]
 *                               [--stalled 0] [--report 0] [--only hub|bare] [--server-node-args="--cpu-prof …"]
 *
 * Soak (`npm run bench:soak`): 200 clients + 20 stalled ones that never read, 2,000 msgs/s for
 * 30 minutes, a line every minute with that minute's latency, RSS and the server's longest event-loop stall.
 *
 * N SSE clients on one busdeck server process while the server receives RATE msgs/s from NATS on the watched
 * `outcomes` topic; latency = SSE receipt at the client − publish time carried in each message. Then the same
 * run against a bare Node http SSE writer (the floor). CPU and RSS are read from /proc for the server pid.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, writeFileSync } from "node:fs";
import http from "node:http";
import { parseArgs } from "node:util";
import { connect } from "@nats-io/transport-node";
import { SERVE_SCRIPT } from "../testing/app/app-process";
import { freePort, startNatsServer } from "../server/nats-server-process";
import { openClients } from "../testing/sse/sse-clients";
import { cpuSeconds, percentile, rssMiB } from "../testing/probes/proc-stats";
import { openLoopProbe, summarizeProbe, windowTrend, type ProbeSecond } from "./support/loop-probe-reader";
import { unpackEvent, type WireEvent } from "../lib/wire/topics";

const { values } = parseArgs({
  options: {
    clients: { type: "string", default: "1000" },
    rate: { type: "string", default: "1000" },
    duration: { type: "string", default: "60" },
    warmup: { type: "string", default: "10" },
    dist: { type: "string", default: ".next-bench" },
    /** The feed the clients stream: `outcome_rows` is what the outcomes page streams; `outcomes` the full records. */
    topic: { type: "string", default: "outcome_rows" },
    only: { type: "string" },
    stalled: { type: "string", default: "0" },
    report: { type: "string", default: "0" },
    /** Extra node flags for the busdeck server, e.g. --server-node-args="--cpu-prof --cpu-prof-dir=/tmp/prof" (not allowed in NODE_OPTIONS). */
    "server-node-args": { type: "string", default: "" },
    /**
     * Nice value for the server's autogroup (Linux, root): on a machine busy with other work, -10 keeps other
     * sessions from descheduling it, so what is left is the server's own stalls. 0 = leave it.
     */
    "server-nice": { type: "string", default: "0" },
    /** Copy the server's stdout/stderr here (e.g. with --server-node-args=--trace-gc). */
    "server-log": { type: "string" },
  },
});
const CLIENTS = Number(values.clients);
const RATE = Number(values.rate);
const DURATION_S = Number(values.duration);
const WARMUP_S = Number(values.warmup);
const SAMPLE_EVERY = Math.max(1, Math.floor(CLIENTS / 20)); // ~20 clients parse and time every frame
const SUBJECT = "reflex.outcome.bench";
const STALLED = Number(values.stalled);
const REPORT_S = Number(values.report);
/** As `npm start` and the image run it (scripts/serve.sh), then any extra flags. */
const SERVER_NODE_ARGS = [SERVE_SCRIPT, ...values["server-node-args"].split(" ").filter(Boolean)];
/** Stalls at least this long are listed with their attribution. */
const STALL_REPORT_MS = 50;

interface RunResult {
  name: string;
  p50: number;
  p99: number;
  max: number;
  samples: number;
  cpuPct: number;
  rssStart: number;
  rssEnd: number;
  rssMax: number;
  connected: number;
  mbPerS: number;
  /** Stalled clients whose socket the server had closed by the end. */
  stalledDropped: number;
  /** Clients the hub had dropped for a backed-up transport (the socket may linger: server/sse.ts droppedError). */
  hubDropped: number;
  /** Longest event-loop stall the server reported (prom-client's monitorEventLoopDelay max), ms. */
  loopMaxMs: number;
  /** Each report interval's p99 (soak mode): "p99 unchanged" compares the first and last windows of these. */
  p99ByReport: { t: number; value: number }[];
  /** What the in-process probe saw (hub runs only): stalls attributed, GC pauses, RSS trend. */
  probe: ProbeSecond[];
}

/** Clients that connect and never read: the server must skip, then drop them without slowing the rest. */
function openStalledClients(url: string, count: number): { dropped: () => number; close: () => void } {
  let dropped = 0;
  let refused = 0;
  const reqs = Array.from({ length: count }, () => {
    const req = http.get(url, { headers: { Accept: "text/event-stream" } }, (res) => {
      if (res.statusCode !== 200) {
        refused++;
        console.log(`[stalled client] refused: HTTP ${res.statusCode} (${refused} so far)`);
        return res.resume();
      }
      res.pause();
      // A paused response emits no "close"; the socket does when the server drops us.
      res.socket.once("close", () => dropped++);
    });
    req.on("error", () => undefined);
    return req;
  });
  return { dropped: () => dropped, close: () => reqs.forEach((r) => r.destroy()) };
}

/** One unlabelled figure from the server's /metrics (NaN when absent: the bare writer has none). */
async function promCounter(baseUrl: string, name: string): Promise<number> {
  try {
    // Bounded: the bare writer answers every path with an endless event stream.
    const text = await (await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(3_000) })).text();
    const m = new RegExp(`^\\w*${name}\\s+([\\d.e+-]+)`, "m").exec(text);
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** The server's event-loop max since the last scrape (prom-client resets its histogram on collect), ms. */
async function loopMaxMs(baseUrl: string): Promise<number> {
  return (await promCounter(baseUrl, "nodejs_eventloop_lag_max_seconds")) * 1000;
}

async function waitHttp(url: string, child: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready`);
}

function body(i: number) {
  return JSON.stringify({
    handler_id: "bench",
    severity: "info",
    kind: "logged",
    target: `dev-${i % 50}`,
    event: { subject: "sensory.bench", id: String(i) },
    emitted_at: new Date().toISOString(),
  });
}

/** Publish time travels in the message itself: emitted_at with millisecond precision (packed rows unpacked). */
function latenciesFrom(data: string, receivedAt: number, out: number[]) {
  if (!data.includes("feed_append")) return;
  const parsed = JSON.parse(data);
  const ev = parsed.packed ? unpackEvent(parsed as WireEvent) : parsed;
  for (const item of "items" in ev ? (ev.items as { body?: { emitted_at?: string }; emitted_at?: string }[]) : []) {
    const emitted = item.body?.emitted_at ?? item.emitted_at;
    if (emitted) out.push(receivedAt - Date.parse(emitted));
  }
}

async function run(
  name: string,
  natsUrl: string,
  start: (port: number, probeEnv: Record<string, string>) => ChildProcess,
  path: string,
): Promise<RunResult> {
  const port = await freePort();
  const probe = openLoopProbe();
  const server = start(port, probe.env);
  if (Number(values["server-nice"]) !== 0) writeFileSync(`/proc/${server.pid}/autogroup`, values["server-nice"]);
  const killServer = () => server.kill("SIGTERM");
  process.once("exit", killServer); // a detached server outlives a crashed bench otherwise
  let log = "";
  const logFile = values["server-log"] ? createWriteStream(values["server-log"]) : null;
  server.stdout?.on("data", (d) => (logFile ? logFile.write(d) : (log += d)));
  server.stderr?.on("data", (d) => (logFile ? logFile.write(d) : (log += d)));
  await waitHttp(`http://127.0.0.1:${port}/api/health`, server).catch((e) => {
    throw new Error(`${e.message}\n${log}`);
  });
  const latencies: number[] = [];
  let measuring = false;
  const pool = await openClients(`http://127.0.0.1:${port}${path}`, CLIENTS, SAMPLE_EVERY, {
    onData: (data, at) => measuring && latenciesFrom(data, at, latencies),
  });
  const stalled = STALLED > 0 ? openStalledClients(`http://127.0.0.1:${port}${path}`, STALLED) : null;
  console.log(
    `[${name}] ${pool.connected()} clients connected${stalled ? ` + ${STALLED} that never read` : ""}; publishing ${RATE} msgs/s`,
  );

  const nc = await connect({ servers: natsUrl });
  let i = 0;
  const perTick = RATE / 100;
  let carry = 0;
  const pub = setInterval(() => {
    carry += perTick;
    for (; carry >= 1; carry--) nc.publish(SUBJECT, body(i++));
  }, 10);

  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  measuring = true;
  const pid = server.pid!;
  const cpu0 = cpuSeconds(pid);
  const bytes0 = pool.bytes();
  const t0 = Date.now();
  const rss: number[] = [rssMiB(pid)];
  const baseUrl = `http://127.0.0.1:${port}`;
  let loopMax = await loopMaxMs(baseUrl).then(() => 0); // reset the server's window at the start
  let reportedAt = 0;
  const p99ByReport: { t: number; value: number }[] = [];
  let latencyMark = 0;
  for (let s = 0; s < DURATION_S; s += 5) {
    await new Promise((r) => setTimeout(r, Math.min(5, DURATION_S - s) * 1000));
    rss.push(rssMiB(pid));
    if (REPORT_S > 0 && (s + 5 - reportedAt >= REPORT_S || s + 5 >= DURATION_S)) {
      const window = latencies.slice(latencyMark).sort((a, b) => a - b);
      latencyMark = latencies.length;
      p99ByReport.push({ t: Date.now(), value: percentile(window, 99) });
      const loop = await loopMaxMs(baseUrl);
      loopMax = Math.max(loopMax, loop || 0);
      const seconds = probe.read().filter((p) => p.t > t0 + reportedAt * 1000);
      console.log(
        `[${name}] t=${String(s + 5).padStart(5)} s  p50 ${percentile(window, 50).toFixed(0).padStart(4)} ms  p99 ${percentile(window, 99).toFixed(0).padStart(4)} ms  rss ${rssMiB(pid).toFixed(0)} MiB  event-loop max ${loop.toFixed(0)} ms  clients ${pool.connected()}${stalled ? `  stalled: hub dropped ${await promCounter(baseUrl, "busdeck_sse_clients_dropped_total")}/${STALLED}, sockets closed ${stalled.dropped()}` : ""}${seconds.length ? `\n    ${summarizeProbe(seconds, STALL_REPORT_MS).line}` : ""}`,
      );
      reportedAt = s + 5;
    }
  }
  if (REPORT_S === 0) loopMax = await loopMaxMs(baseUrl);
  const elapsed = (Date.now() - t0) / 1000;
  const cpu = cpuSeconds(pid) - cpu0;
  const mb = (pool.bytes() - bytes0) / 1024 / 1024 / elapsed;
  measuring = false;
  clearInterval(pub);
  const connected = pool.connected();
  const stalledDropped = stalled?.dropped() ?? 0;
  stalled?.close();
  pool.close();
  await nc.close();
  const probeSeconds = probe.read().filter((p) => p.t > t0);
  const hubDropped = await promCounter(baseUrl, "busdeck_sse_clients_dropped_total");
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  process.off("exit", killServer);
  probe.close();
  latencies.sort((a, b) => a - b);
  return {
    name,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    samples: latencies.length,
    cpuPct: (cpu / elapsed) * 100,
    rssStart: rss[0]!,
    rssEnd: rss.at(-1)!,
    rssMax: Math.max(...rss),
    connected,
    mbPerS: mb,
    stalledDropped,
    hubDropped,
    p99ByReport,
    loopMaxMs: loopMax,
    probe: probeSeconds,
  };
}

async function main() {
  if (!existsSync(`${values.dist}/BUILD_ID`)) {
    console.log(`building busdeck into ${values.dist} …`);
    execFileSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
      stdio: "inherit",
      env: { ...process.env, BUSDECK_DIST_DIR: values.dist },
    });
  }
  const nats = await startNatsServer();
  const results: RunResult[] = [];
  try {
    if (values.only !== "bare") {
      results.push(
        await run(
          "busdeck hub",
          nats.url,
          (port, probeEnv) =>
            spawn("sh", [...SERVER_NODE_ARGS, "node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
              env: {
                ...process.env,
                ...probeEnv,
                NATS_URL: nats.url,
                BUSDECK_DEMO: "0",
                BUSDECK_DIST_DIR: values.dist,
                BUSDECK_LOCK_BUCKETS: "none",
                BUSDECK_SSE_MAX_PER_ADDRESS: String(CLIENTS + STALLED + 10),
              },
              stdio: ["ignore", "pipe", "pipe"],
              // Its own session, so its own scheduler autogroup (Linux): otherwise the server shares one group's
              // CPU share with this process's 200 clients and publisher, and on a busy 2-core machine the probe saw
              // most stalls > 100 ms with the server's thread not running at all.
              detached: true,
            }),
          `/api/events?topics=${values.topic}`,
        ),
      );
    }
    if (values.only !== "hub") {
      results.push(
        await run(
          "bare node writer",
          nats.url,
          (port, probeEnv) =>
            spawn(process.execPath, ["--import", "tsx", "bench/support/bare-sse-server.ts", nats.url, String(port), SUBJECT], {
              env: { ...process.env, ...probeEnv },
              stdio: ["ignore", "pipe", "pipe"],
              detached: true,
            }),
          "/events",
        ),
      );
    }
  } finally {
    await nats.stop();
  }
  console.log(
    `\nhub fan-out: ${CLIENTS} SSE clients on ${values.topic}, ${RATE} msgs/s, ${DURATION_S}s measured after ${WARMUP_S}s warm-up, latency from ${Math.ceil(CLIENTS / SAMPLE_EVERY)} sampling clients`,
  );
  console.log("run                 p50 ms  p99 ms  max ms  samples    cpu %  rss start→end (max) MiB  MB/s to clients  connected");
  for (const r of results) {
    console.log(
      `${r.name.padEnd(18)} ${r.p50.toFixed(0).padStart(7)} ${r.p99.toFixed(0).padStart(7)} ${r.max.toFixed(0).padStart(7)} ${String(r.samples).padStart(8)} ${r.cpuPct.toFixed(0).padStart(8)}  ${r.rssStart.toFixed(0)}→${r.rssEnd.toFixed(0)} (${r.rssMax.toFixed(0)})`.padEnd(
        82,
      ) + `${r.mbPerS.toFixed(1).padStart(8)}  ${String(r.connected).padStart(9)}`,
    );
  }
  const [hub, bare] = results;
  for (const r of results)
    if (!Number.isNaN(r.loopMaxMs))
      console.log(
        `${r.name}: longest event-loop stall ${r.loopMaxMs.toFixed(0)} ms (target ≤ 100)${STALLED ? `; stalled clients dropped by the hub ${r.hubDropped}/${STALLED}, their sockets closed ${r.stalledDropped}/${STALLED}` : ""}`,
      );
  for (const r of results)
    if (r.probe.length) console.log(`${r.name} (in-process probe): ${summarizeProbe(r.probe, STALL_REPORT_MS).final}`);
  for (const r of results) {
    if (r.p99ByReport.length < 2) continue;
    const p99 = windowTrend(r.p99ByReport);
    console.log(
      `${r.name}: healthy clients' p99, median of the report intervals: first ${p99.windowS} s ${p99.first.toFixed(0)} ms → last ${p99.windowS} s ${p99.last.toFixed(0)} ms (${(p99.growth * 100).toFixed(0)}%)`,
    );
  }
  const bytesPerEvent = (r: RunResult) => (r.mbPerS * 1024 * 1024) / Math.max(1, r.connected) / RATE;
  for (const r of results) console.log(`${r.name}: ${bytesPerEvent(r).toFixed(0)} bytes per event per client`);
  if (hub && bare) {
    console.log(
      `\nhub / bare: p50 ${(hub.p50 / bare.p50).toFixed(2)}×, p99 ${(hub.p99 / bare.p99).toFixed(2)}× (targets ≤ 3×), bytes per event ${(bytesPerEvent(hub) / bytesPerEvent(bare)).toFixed(2)}× (≤ 1.2×); RSS target ≤ 300 MiB`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
