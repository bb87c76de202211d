/**
 * Failover view end to end (issue 6): how long from a new holder's KV write until the browser shows it.
 * Prints figures; asserts nothing. Needs a build: BUSDECK_DIST_DIR=.next-failover npx next build first.
 *
 *   BUSDECK_DIST_DIR=.next-failover npx tsx --conditions=react-server bench/failover-browser.ts [--keys 200] [--seconds 45]
 *
 * A local nats-server with KEYS singleton keys renewing every second (as bench/lock-watch.ts), busdeck started
 * against it (no demo), Chromium on /failover. Every 3 s one key is taken over; a MutationObserver in the page
 * stamps when that card's holder text changes. Reported: takeover write acknowledged → holder changed in the DOM,
 * plus the page's main-thread busy share (long tasks) while 200 cards and timelines stay live.
 */
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { connect } from "@nats-io/transport-node";
import { Kvm } from "@nats-io/kv";
import { startApp } from "../e2e/support/app-process";
import { startNatsServer } from "../server/nats-server-process";
import { percentile } from "./support/proc-stats";

const { values } = parseArgs({ options: { keys: { type: "string", default: "200" }, seconds: { type: "string", default: "45" } } });
const KEYS = Number(values.keys);
const SECONDS = Number(values.seconds);
const enc = new TextEncoder();
const value = (holder: string) => enc.encode(JSON.stringify({ holder_id: holder, ttl_s: 3, renew_interval_s: 1 }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const server = await startNatsServer();
const nc = await connect({ servers: server.url });
const kv = await new Kvm(nc).create("locks", { history: 10 });
const holders = Array.from({ length: KEYS }, (_, i) => ({ key: `s${String(i).padStart(3, "0")}`, holder: `r${i}-a`, revision: 0 }));
for (const h of holders) h.revision = await kv.create(h.key, value(h.holder));
let stopped = false;
const renewers = holders.map(async (h, i) => {
  await sleep((1000 * i) / KEYS);
  while (!stopped) {
    h.revision = await kv.update(h.key, value(h.holder), h.revision).catch(() => h.revision);
    await sleep(1000);
  }
});

const app = await startApp({ NATS_URL: server.url, BUSDECK_DEMO: "0" });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(`${app.baseUrl}/failover?range=15m`);
await page.getByTestId(`lock-card-${holders.at(-1)!.key}`).waitFor({ timeout: 60_000 });
await page.evaluate(() => {
  const w = window as unknown as { changes: { key: string; holder: string; at: number }[]; busyMs: number };
  w.changes = [];
  w.busyMs = 0;
  new PerformanceObserver((list) => list.getEntries().forEach((e) => (w.busyMs += e.duration))).observe({ type: "longtask", buffered: false });
  new MutationObserver((records) => {
    const now = Date.now();
    for (const r of records) {
      const el = (r.target.nodeType === 3 ? r.target.parentElement : r.target) as HTMLElement | null;
      const holder = el?.closest('[data-testid="lock-holder"]');
      const card = holder?.closest('[data-testid^="lock-card-"]');
      if (holder && card) w.changes.push({ key: card.getAttribute("data-testid")!.slice("lock-card-".length), holder: holder.textContent ?? "", at: now });
    }
  }).observe(document.body, { subtree: true, characterData: true, childList: true });
});

const takeovers: { key: string; holder: string; at: number }[] = [];
const t0 = Date.now();
while (Date.now() - t0 < SECONDS * 1000) {
  await sleep(3000);
  const h = holders[Math.floor(Math.random() * holders.length)]!;
  const next = h.holder.endsWith("-a") ? h.holder.replace(/-a$/, "-b") : h.holder.replace(/-b$/, "-a");
  try {
    h.revision = await kv.update(h.key, value(next), h.revision);
    h.holder = next;
    takeovers.push({ key: h.key, holder: next, at: Date.now() });
  } catch {
    // lost a race with the renewer; try another key next round
  }
}
await sleep(2000);
const { changes, busyMs } = await page.evaluate(() => {
  const w = window as unknown as { changes: { key: string; holder: string; at: number }[]; busyMs: number };
  return { changes: w.changes, busyMs: w.busyMs };
});
const latencies = takeovers.flatMap((t) => {
  const seen = changes.find((c) => c.key === t.key && c.holder === t.holder && c.at >= t.at - 50);
  return seen ? [seen.at - t.at] : [];
});
const sorted = latencies.sort((a, b) => a - b);
const elapsed = (Date.now() - t0) / 1000;
console.log(`failover view, ${KEYS} keys renewing every 1 s, ${takeovers.length} takeovers over ${elapsed.toFixed(0)} s`);
console.log(`takeover write → holder changed in the browser: n=${sorted.length}/${takeovers.length} p50 ${percentile(sorted, 50)} ms p95 ${percentile(sorted, 95)} ms max ${sorted.at(-1)} ms`);
console.log(`page main thread in long tasks: ${((busyMs / 1000 / elapsed) * 100).toFixed(0)} % of the time`);

const shot = `${process.env.E2E_OUTPUT ?? "test-results"}/screenshots/failover-${KEYS}-keys.png`;
await page.screenshot({ path: shot });
console.log(`screenshot: ${shot}`);

stopped = true;
await Promise.all(renewers);
await browser.close();
await app.stop();
await nc.close();
await server.stop();
