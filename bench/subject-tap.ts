/**
 * The subject tap at 100,000 msgs/s offered on `>`: a raw-socket publisher in a child process (so its CPU is not
 * on the measured event loop) offers the rate on 50 `bench.tap.…` subjects, plus 200 msg/s on `app.orders.*`; the tap (server/bus/subject-tap.ts, budget
 * BUSDECK_SUBJECT_TAP_MAX_RATE's default) runs in this process. Prints what the server sent the tap's connection
 * per second (its /connz out_msgs), the tap's modes, the event loop's longest stall, and whether the server ever
 * cut the connection off as a slow consumer. A bench prints figures; it is never a test.
 *
 *   npm run bench:subject-tap -- [--seconds 20] [--rate 100000] [--budget 20000] [--off]
 */
import { fork } from "node:child_process";
import { connect as tcpConnect } from "node:net";
import { cpus, loadavg } from "node:os";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { connect } from "@nats-io/transport-node";
import { Hub } from "../server/hub/hub";
import { startNatsServer } from "../server/nats-server-process";
import { startSubjectTap } from "../server/bus/subject-tap";
import { DEFAULT_TAP_MAX_RATE, type TapMode } from "../lib/bus/subject-tap";

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

async function main() {
  const seconds = arg("seconds", 20);
  const rate = arg("rate", 100_000);
  const budget = arg("budget", DEFAULT_TAP_MAX_RATE);
  const server = await startNatsServer({});
  const nc = await connect({ servers: server.url, name: "bench-tap" });
  const hub = new Hub();
  const disconnects: string[] = [];
  void (async () => {
    for await (const s of nc.status()) if (s.type === "disconnect" || s.type === "error") disconnects.push(s.type);
  })();
  // --off: the same firehose with no tap, for the machine's own stalls under that load.
  const off = process.argv.includes("--off");
  const tap = startSubjectTap({ nc, hub, subjects: off ? [] : [">"], maxRate: budget, offReason: "--off", own: [] });
  const modes = new Map<TapMode, number>();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const outMsgs = async () => {
    const connz = (await (await fetch(`${server.monitorUrl}/connz`)).json()) as { connections: { name?: string; out_msgs: number }[] };
    return connz.connections.find((c) => c.name === "bench-tap")?.out_msgs ?? 0;
  };
  try {
    await nc.flush();
    const cpu0 = process.cpuUsage();
    const load0 = loadavg()[0]!;
    loop.enable();
    const child = fork(fileURLToPath(import.meta.url), ["publisher", server.url.replace(/^nats:\/\//, ""), String(rate), String(seconds)], {
      execArgv: process.execArgv,
    });
    const offered = new Promise<{ sent: number; seconds: number }>((r) => child.once("message", (m) => r(m as never)));
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
    clearInterval(tick);
    loop.disable();
    const cpu = process.cpuUsage(cpu0);
    const snap = hub.getState("bus_subjects")!;
    const closed = (await (await fetch(`${server.monitorUrl}/connz?state=closed`)).json()) as {
      connections?: { name?: string; reason?: string }[];
    };
    const slow = (closed.connections ?? []).filter((c) => c.name === "bench-tap" && /slow/i.test(c.reason ?? ""));
    const sorted = [...perSecond].sort((a, b) => a - b);
    console.log(
      `subject tap bench: ${seconds}s offered on ">" (nats-server ${server.url}), budget ${budget.toLocaleString("en-US")} msg/s`,
    );
    console.log(`  offered: ${Math.round(o.sent / o.seconds).toLocaleString("en-US")} msg/s (${o.sent.toLocaleString("en-US")} msgs)`);
    console.log(
      `  sent to the tap per second (server /connz): max ${sorted.at(-1)?.toLocaleString("en-US")}, median ${sorted[Math.floor(sorted.length / 2)]?.toLocaleString("en-US")}, total ${perSecond.reduce((a, b) => a + b, 0).toLocaleString("en-US")}`,
    );
    console.log(
      `  seconds by tap mode: ${[...modes].map(([m, n]) => `${m} ${n}`).join(", ")}; last: ${snap.tap.mode} — ${snap.tap.reason ?? "no reason"}`,
    );
    const app = snap.subjects.filter((x) => x.subject.startsWith("app.")).reduce((n, x) => n + x.msgs_per_s, 0);
    console.log(`  app.orders.* as the tap measured it (window, last): ${app.toFixed(0)} msg/s of 200 offered`);
    console.log(`  rate seen at the last trip: ${Math.round(snap.tap.seen?.msgs_per_s ?? 0).toLocaleString("en-US")} msg/s`);
    console.log(`  event loop: max stall ${(loop.max / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms`);
    console.log(`  tap process CPU: ${(((cpu.user + cpu.system) / 1e6 / o.seconds) * 100).toFixed(0)}% of a core`);
    console.log(`  slow-consumer cut-offs of the tap's connection: ${slow.length}; client disconnects/errors: ${disconnects.length}`);
    console.log(`  load average (1 min) before/after: ${load0.toFixed(2)} / ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores`);
  } finally {
    tap.stop();
    await nc.close();
    await server.stop();
  }
}

if (process.argv[2] === "publisher") await publisher(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]));
else await main();
