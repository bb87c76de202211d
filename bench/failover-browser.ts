/**
 * Failover view under a flapping lock (docs/benchmarks.md#failover-view--benchfailover-browserts): does the page
 * stay responsive and judge leases as the server does? Prints figures; asserts nothing. Needs a build:
 * BUSDECK_DIST_DIR=.next-failover npx next build first.
 *
 *   BUSDECK_DIST_DIR=.next-failover npx tsx --conditions=react-server bench/failover-browser.ts [--minutes 5] [--seeded 10000] [--keys 10] [--focus] [--trace PREFIX [--trace-seconds 15]]
 *
 * A local nats-server; KEYS singleton keys renewing every second; one key, `flap`, seeded with SEEDED
 * transitions (two replicas trading it), then live: renewed every second and handed over every third. busdeck
 * runs against it (no demo), Chromium opens /failover (every card, or only `flap` with --focus) and the page
 * runs live for MINUTES. Reported: the longest main-thread task and how many exceeded 100 ms (a
 * PerformanceObserver in the page), and, once a second, every card's lease state against the server's
 * (/api/topics/singletons judged at the same moment): a mismatch is the page calling a lease late or expired
 * that the server holds healthy, or the reverse; "data N s old" is counted apart, as the page's honest "don't know".
 * --trace PREFIX: the first 15 s live (--trace-seconds) also run under a Chromium trace and a CPU profile, summarized here.
 */
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { connect } from "@nats-io/transport-node";
import { Kvm } from "@nats-io/kv";
import { startApp } from "../testing/app/app-process";
import { startNatsServer } from "../server/nats-server-process";
import type { SingletonsSnapshot } from "../lib/failover/timeline";
import { tracePage } from "../testing/probes/chromium-trace";
import { leaseHealth, type LeaseHealthState } from "../lib/failover/lock-transitions";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "5" },
    seeded: { type: "string", default: "10000" },
    keys: { type: "string", default: "10" },
    focus: { type: "boolean", default: false },
    trace: { type: "string" },
    "trace-seconds": { type: "string", default: "15" },
  },
});
const MINUTES = Number(values.minutes);
const SEEDED = Number(values.seeded);
const KEYS = Number(values.keys);
const enc = new TextEncoder();
const value = (holder: string) => enc.encode(JSON.stringify({ holder_id: holder, ttl_s: 6, renew_interval_s: 2 }));
type LongFrame = {
  at: number;
  ms: number;
  renderMs: number;
  styleLayoutMs: number;
  scripts: { what: string; ms: number; forcedLayoutMs: number }[];
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const server = await startNatsServer();
const nc = await connect({ servers: server.url });
const kv = await new Kvm(nc).create("locks", { history: 10 });

const app = await startApp({ NATS_URL: server.url, BUSDECK_DEMO: "0" });
// The flapping key's history, written once busdeck watches the bucket (it keeps only 10 revisions a key).
await kv.put("flap", value("flap-a"));
while (
  !((await (await fetch(`${app.baseUrl}/api/topics/singletons`)).json()) as SingletonsSnapshot | null)?.singletons.some(
    (s) => s.key === "flap",
  )
)
  await sleep(250);
const seeding = Date.now();
for (let i = 0; i < SEEDED; i++) await kv.put("flap", value(i % 2 ? "flap-b" : "flap-a"));
console.log(`seeded ${SEEDED} transitions in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);
let stopped = false;
const renewers = Array.from({ length: KEYS }, async (_, i) => {
  const key = `s${String(i).padStart(3, "0")}`;
  await sleep((1000 * i) / KEYS);
  while (!stopped) {
    await kv.put(key, value(`r${i}`)).catch(() => {});
    await sleep(1000);
  }
});
let flapHolder = SEEDED % 2 ? "flap-b" : "flap-a";
const flapper = (async () => {
  for (let tick = 1; !stopped; tick++) {
    if (tick % 3 === 0) flapHolder = flapHolder === "flap-a" ? "flap-b" : "flap-a";
    await kv.put("flap", value(flapHolder)).catch(() => {});
    await sleep(1000);
  }
})();

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const opened = Date.now();
await page.goto(`${app.baseUrl}/failover?range=1h${values.focus ? "&key=flap" : ""}`);
await page.getByTestId("lock-card-flap").waitFor({ timeout: 120_000 });
// Lanes are drawn only near the viewport: bring flap's into it.
await page.getByTestId("timeline-row-flap").scrollIntoViewIfNeeded();
await page
  .waitForFunction(
    (n) => Number(document.querySelector('[data-testid="timeline-flap"]')?.getAttribute("data-failovers") ?? 0) >= n,
    SEEDED - 1,
    { timeout: 120_000, polling: 1000 },
  )
  .catch(async (err) => {
    await page.screenshot({ path: "/tmp/failover-bench-timeout.png" });
    throw new Error(`the page shows ${await page.getByTestId("timeline-flap").getAttribute("data-failovers")} of ${SEEDED} failovers`, {
      cause: err,
    });
  });
console.log(`page showing ${SEEDED} seeded transitions after ${((Date.now() - opened) / 1000).toFixed(1)} s`);
// What each render has to reconcile: elements in the page and in its largest parts.
console.log(
  `elements: ${await page.evaluate(() =>
    [
      ["page", "*"],
      ["cards", '[data-testid="singleton-cards"] *'],
      ["overview", '[data-testid="failover-overview"] *'],
      ["lanes", '[data-testid^="timeline-row-"] *'],
      ["table", '[data-testid="transitions-table"] *'],
    ]
      .map(([name, selector]) => `${name} ${document.querySelectorAll(selector!).length}`)
      .join(", "),
  )}`,
);
await page.evaluate(() => {
  const w = window as unknown as { longTasks: { at: number; ms: number }[]; longFrames: LongFrame[] };
  w.longTasks = [];
  w.longFrames = [];
  new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push({ at: e.startTime, ms: e.duration }))).observe({
    type: "longtask",
    buffered: false,
  });
  // Long animation frames say where a frame's time went: which scripts (by invoker and source) and how much was
  // style, layout and paint after them.
  type Loaf = PerformanceEntry & {
    renderStart: number;
    styleAndLayoutStart: number;
    blockingDuration: number;
    scripts: {
      invoker: string;
      sourceURL: string;
      sourceFunctionName: string;
      sourceCharPosition: number;
      duration: number;
      forcedStyleAndLayoutDuration: number;
    }[];
  };
  new PerformanceObserver((list) =>
    (list.getEntries() as Loaf[])
      .filter((e) => e.duration > 80)
      .forEach((e) =>
        w.longFrames.push({
          at: e.startTime,
          ms: e.duration,
          renderMs: e.renderStart ? e.startTime + e.duration - e.renderStart : 0,
          styleLayoutMs: e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0,
          scripts: e.scripts.map((s) => ({
            what: `${s.invoker} ${s.sourceFunctionName || "?"} ${s.sourceURL.split("/").pop()}:${s.sourceCharPosition}`,
            ms: Math.round(s.duration),
            forcedLayoutMs: Math.round(s.forcedStyleAndLayoutDuration),
          })),
        }),
      ),
  ).observe({ type: "long-animation-frame", buffered: false });
});

if (values.trace) await traceLive(values.trace, Number(values["trace-seconds"]) * 1000);

const PAGE_STATE: Record<string, LeaseHealthState> = {
  healthy: "ok",
  "renew late": "late",
  "lease expired": "expired",
  "no holder": "released",
};
/** flapping replaces ok and late on the card; it still says the lease is not expired. */
const agrees = (page: string, server: LeaseHealthState) =>
  page === "flapping"
    ? server === "ok" || server === "late"
    : PAGE_STATE[page] === server || (!(page in PAGE_STATE) && server === "unknown");

let samples = 0;
let cardsChecked = 0;
const mismatches: string[] = [];
let staleShown = 0;
const t0 = Date.now();
const pageT0 = await page.evaluate(() => performance.now());
while (Date.now() - t0 < MINUTES * 60_000) {
  await sleep(1000);
  const shown = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid^="lock-card-"]')].map((c) => ({
      key: c.getAttribute("data-testid")!.slice("lock-card-".length),
      state: (c.querySelector('[data-testid="lease-health"]')?.textContent ?? "").trim().toLowerCase(),
    })),
  );
  const at = Date.now();
  const snap = (await (await fetch(`${app.baseUrl}/api/topics/singletons`)).json()) as SingletonsSnapshot;
  samples++;
  for (const card of shown) {
    const s = snap.singletons.find((x) => x.key === card.key);
    if (!s) continue;
    cardsChecked++;
    if (/^data \d+ s old$/.test(card.state)) {
      staleShown++;
      continue;
    }
    const server = leaseHealth(s, at).state;
    if (!agrees(card.state, server)) mismatches.push(`${new Date(at).toISOString()} ${card.key}: page "${card.state}", server ${server}`);
  }
}
const longTaskLog = await page.evaluate(() => (window as unknown as { longTasks: { at: number; ms: number }[] }).longTasks);
const longTasks = longTaskLog.map((t) => t.ms);
const elapsed = (Date.now() - t0) / 1000;
console.log(
  `failover view live for ${elapsed.toFixed(0)} s: ${SEEDED} seeded transitions of 'flap' (+ a handover every 3 s), ${KEYS} more keys renewing every second, ${values.focus ? "only flap shown" : "every card shown"}`,
);
console.log(
  `long tasks: ${longTasks.length}, max ${Math.round(Math.max(0, ...longTasks))} ms, over 100 ms: ${longTasks.filter((d) => d > 100).length}`,
);
console.log(
  `lease states: ${samples} samples, ${cardsChecked} card checks, ${mismatches.length} mismatches with the server, ${staleShown} shown as "data N s old"`,
);
for (const m of mismatches.slice(0, 10)) console.log(`  ${m}`);
const longest = [...longTaskLog].sort((a, b) => b.ms - a.ms).slice(0, 5);
console.log(`longest tasks: ${longest.map((t) => `${Math.round(t.ms)} ms at +${((t.at - pageT0) / 1000).toFixed(1)} s`).join(", ")}`);
const longFrames = await page.evaluate(() => (window as unknown as { longFrames: LongFrame[] }).longFrames);
for (const f of [...longFrames].sort((a, b) => b.ms - a.ms).slice(0, 5)) {
  console.log(
    `long frame ${Math.round(f.ms)} ms at +${((f.at - pageT0) / 1000).toFixed(1)} s: render ${Math.round(f.renderMs)} ms (style+layout ${Math.round(f.styleLayoutMs)} ms)`,
  );
  for (const s of f.scripts) console.log(`    ${s.ms} ms (forced layout ${s.forcedLayoutMs}) ${s.what}`);
}

const shot = `${process.env.E2E_OUTPUT ?? "test-results"}/screenshots/failover-flap-${SEEDED}.png`;
await page.screenshot({ path: shot });
console.log(`screenshot: ${shot}`);

stopped = true;
await Promise.all([...renewers, flapper]);
await browser.close();
await app.stop();
await nc.close();
await server.stop();

/** `ms` of the live page under a Chromium trace and a CPU profile; prints their summaries. */
async function traceLive(prefix: string, ms: number) {
  await tracePage(browser, page, prefix, () => sleep(ms));
}
