/**
 * The bus servers sample on a local 3-node cluster: the whole sample (six `$SYS.REQ.SERVER.PING.*` requests,
 * parsing, folding, publishing on the hub) against the same six requests made bare (replies collected, nothing
 * read), alternated in one run. Prints wall time and CPU per sample and their ratios (target: ≤ 1.5×).
 *
 *   npm run bench:bus-sample -- [--samples 40]
 */
import { performance } from "node:perf_hooks";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { Hub } from "../server/hub/hub";
import { startNatsCluster } from "../server/nats-cluster-process";
import { createBusSampleTick } from "../server/bus/sampler";
import { collectSystemSample, DEFAULT_PING, pingSubject } from "../server/bus/system-source";
import { REPLY_KINDS } from "../lib/bus/replies";

const i = process.argv.indexOf("--samples");
const SAMPLES = i > 0 ? Number(process.argv[i + 1]) : 40;

/** The same requests with the same quiet-gap strategy, replies only counted. */
async function bareRequests(nc: NatsConnection): Promise<number> {
  const counts = await Promise.all(
    REPLY_KINDS.map(async (kind) => {
      let n = 0;
      const iter = await nc.requestMany(pingSubject(kind), "", {
        strategy: "stall",
        stall: DEFAULT_PING.stallMs,
        maxWait: DEFAULT_PING.maxWaitMs,
      });
      for await (const _ of iter) n++;
      return n;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

async function measure(run: () => Promise<unknown>): Promise<{ wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - t0, cpuMs: (used.user + used.system) / 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const cluster = await startNatsCluster();
const nc = await connect({ servers: cluster.urls, user: cluster.system!.user, pass: cluster.system!.password });
try {
  const hub = new Hub();
  const tick = createBusSampleTick({ hub, source: "system", collect: () => collectSystemSample(nc), intervalMs: 1_000 });
  // warm-up: JIT, and the first fold that has no previous counters
  for (let k = 0; k < 3; k++) {
    await tick();
    await bareRequests(nc);
  }
  const whole: { wallMs: number; cpuMs: number }[] = [];
  const bare: { wallMs: number; cpuMs: number }[] = [];
  let replies = 0;
  for (let k = 0; k < SAMPLES; k++) {
    // alternate which goes first, so neither always follows the other's garbage
    if (k % 2 === 0) {
      whole.push(await measure(tick));
      bare.push(await measure(async () => (replies = await bareRequests(nc))));
    } else {
      bare.push(await measure(async () => (replies = await bareRequests(nc))));
      whole.push(await measure(tick));
    }
  }
  const snap = hub.getState("bus_servers")!;
  const fmt = (xs: { wallMs: number; cpuMs: number }[]) => ({ wall: median(xs.map((x) => x.wallMs)), cpu: median(xs.map((x) => x.cpuMs)) });
  const w = fmt(whole);
  const b = fmt(bare);
  console.log(
    `3-server cluster, ${SAMPLES} samples each, ${replies} replies a sample, ${snap.servers.filter((s) => s.state === "up").length} servers up`,
  );
  console.log(`whole sample: median wall ${w.wall.toFixed(1)} ms, median CPU ${w.cpu.toFixed(2)} ms`);
  console.log(`bare requests: median wall ${b.wall.toFixed(1)} ms, median CPU ${b.cpu.toFixed(2)} ms`);
  console.log(`ratio whole/bare: wall ${(w.wall / b.wall).toFixed(2)}×, CPU ${(w.cpu / b.cpu).toFixed(2)}×`);
} finally {
  await nc.close();
  await cluster.stop();
}
