/**
 * Lock watcher benchmark (docs/benchmarks.md#lock-watcher--benchlocks). Prints figures; asserts nothing.
 *
 *   npx tsx --conditions=react-server bench/lock-watch.ts [--keys 200] [--seconds 60] [--failover-every 3]
 *
 * On a fresh local nats-server: KEYS singleton keys in a `locks` bucket, each renewed every second by its holder
 * (update with the last revision, staggered across the second), and every FAILOVER_EVERY seconds one key taken
 * over by another holder. The dashboard side runs exactly as in production: its own connection, the KV lock
 * watcher with history, the failover service (classifier + BUSDECK_LOCK_TRANSITIONS persistence) and the hub,
 * with one SSE client attached. Reported:
 *   watcher lag  — KV write time (server timestamp) → the classifier has the event, per 10 s window (a growing
 *                  lag would show as rising windows);
 *   failover     — takeover write acknowledged → the failover entry written to the SSE client (hub flush
 *                  included; what is left to the browser is the network hop and one render).
 */
import { parseArgs } from "node:util";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { createFailoverService } from "../server/failover/failover-service";
import { Hub } from "../server/hub/hub";
import { startNatsServer } from "../server/nats-server-process";
import { startLockWatcher } from "../server/watchers/lock-watcher";
import type { DashboardEvent } from "../lib/wire/topics";
import { percentile } from "../testing/probes/proc-stats";

const { values } = parseArgs({
  options: {
    keys: { type: "string", default: "200" },
    seconds: { type: "string", default: "60" },
    "failover-every": { type: "string", default: "3" },
  },
});
const KEYS = Number(values.keys);
const SECONDS = Number(values.seconds);
const FAILOVER_EVERY_MS = Number(values["failover-every"]) * 1000;
const WINDOW_MS = 10_000;

const enc = new TextEncoder();
const value = (holder: string) => enc.encode(JSON.stringify({ holder_id: holder, ttl_s: 3, renew_interval_s: 1 }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (x: number | undefined) => (x === undefined ? "—" : `${x.toFixed(1)} ms`);

const server = await startNatsServer();
const writer = await connect({ servers: server.url });
const dashboard = await connect({ servers: server.url });
const kv = await new Kvm(writer).create("locks", { history: 10 });

// ─── dashboard side, as in server/runtime.ts ───
const hub = new Hub();
const failover = createFailoverService({ hub });
failover.start(dashboard, () => jetstreamManager(dashboard));
const t0 = Date.now();
const lagWindows = new Map<number, number[]>();
let events = 0;
const onLockEvent = failover.onLockEvent;
failover.onLockEvent = (e) => {
  const now = Date.now();
  events++;
  const w = Math.floor((now - t0) / WINDOW_MS);
  if (!lagWindows.has(w)) lagWindows.set(w, []);
  lagWindows.get(w)!.push(now - Date.parse(e.at));
  return onLockEvent(e);
};
const stopWatcher = startLockWatcher({ nc: dashboard, hub, buckets: ["locks"], failover });

const takeoverWrittenAt = new Map<string, number>();
const failoverLatency: number[] = [];
const dec = (chunk: string) =>
  chunk
    .split("\n")
    .filter((l) => l.startsWith("data: "))
    .map((l) => JSON.parse(l.slice(6)) as DashboardEvent);
const unsubscribe = hub.subscribe(
  {
    write(chunk) {
      const now = Date.now();
      for (const ev of dec(typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk))) {
        if (ev.type !== "feed_append" || ev.topic !== "failover_timeline") continue;
        for (const item of ev.items) {
          if (item.source !== "lock" || item.transition.kind !== "failover") continue;
          const writtenAt = takeoverWrittenAt.get(`${item.transition.key}/${item.transition.revision}`);
          if (writtenAt !== undefined) failoverLatency.push(now - writtenAt);
        }
      }
    },
    isBackedUp: () => false,
    close() {},
  },
  ["failover_timeline"],
);

// ─── the singletons ───
const holders = Array.from({ length: KEYS }, (_, i) => ({
  key: `singleton-${String(i).padStart(3, "0")}`,
  holder: `replica-${i}-a`,
  revision: 0,
}));
for (const h of holders) h.revision = await kv.create(h.key, value(h.holder));
let stopped = false;
let writeErrors = 0;
const renewers = holders.map(async (h, i) => {
  await sleep((1000 * i) / KEYS); // spread the renews over the second
  while (!stopped) {
    try {
      h.revision = await kv.update(h.key, value(h.holder), h.revision);
    } catch {
      writeErrors++;
    }
    await sleep(1000);
  }
});
let takeovers = 0;
const taker = (async () => {
  while (!stopped) {
    await sleep(FAILOVER_EVERY_MS);
    if (stopped) break;
    const h = holders[Math.floor(Math.random() * holders.length)]!;
    const next = h.holder.endsWith("-a") ? h.holder.replace(/-a$/, "-b") : h.holder.replace(/-b$/, "-a");
    try {
      // The new holder writes with the revision it observed, as a passive replica taking over would.
      const rev = await kv.update(h.key, value(next), h.revision);
      takeoverWrittenAt.set(`${h.key}/${rev}`, Date.now());
      h.holder = next;
      h.revision = rev;
      takeovers++;
    } catch {
      writeErrors++;
    }
  }
})();

const cpu0 = process.cpuUsage();
await sleep(SECONDS * 1000);
stopped = true;
await Promise.all([...renewers, taker]);
await sleep(500);
const cpu = process.cpuUsage(cpu0);

console.log(
  `lock watch: ${KEYS} keys renewing every 1 s, a takeover every ${FAILOVER_EVERY_MS / 1000} s, ${SECONDS} s on nats-server ${server.url}`,
);
console.log(
  `events classified: ${events} (${(events / SECONDS).toFixed(0)}/s), write errors: ${writeErrors}, timeline entries: ${failover.store.size}`,
);
console.log(`watcher lag (KV write → classifier) per ${WINDOW_MS / 1000} s window:`);
console.log("  window    n      p50       p95       p99       max");
for (const [w, lags] of [...lagWindows].sort((a, b) => a[0] - b[0])) {
  const s = [...lags].sort((a, b) => a - b);
  console.log(
    `  ${String(w * 10).padStart(3)}s  ${String(s.length).padStart(6)}  ${fmt(percentile(s, 50)).padStart(8)}  ${fmt(percentile(s, 95)).padStart(8)}  ${fmt(percentile(s, 99)).padStart(8)}  ${fmt(s.at(-1)).padStart(8)}`,
  );
}
const fl = [...failoverLatency].sort((a, b) => a - b);
console.log(
  `failover write → SSE client: n=${fl.length}/${takeovers} p50 ${fmt(percentile(fl, 50))} p95 ${fmt(percentile(fl, 95))} max ${fmt(fl.at(-1))}`,
);
console.log(
  `bench process CPU (writers + dashboard side): ${((cpu.user + cpu.system) / 1000 / SECONDS / 10).toFixed(1)} % of one core, RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
);

unsubscribe();
stopWatcher();
failover.stop();
hub.close();
await writer.close();
await dashboard.close();
await server.stop();
