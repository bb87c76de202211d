/**
 * How fast the overview renders N open findings (1,000 by default). Prints figures; asserts nothing.
 *
 *   BUSDECK_DIST_DIR=.next-e2e npm run bench:overview -- [--findings 1000] [--runs 5] [--trace PREFIX]
 *
 * A local nats-server with one stream holding a message and N consumers that never acknowledge it: each is judged
 * STALL, so N critical findings open. busdeck (this build) against it, and Debian's Chromium at 1280×800. Per run:
 *   - load: `/` opened cold; the server renders the findings into the HTML. Figures on the page's clock from
 *     navigation start: the HTML received, first contentful paint, and the content hydrated (it answers input).
 *   - client render: from /streams, the brand link to the overview; React renders the N findings in the browser.
 *     From the click to the frame in which the last finding row is in the document.
 * `--trace PREFIX`: one more client render under a Chromium trace and CPU profile (PREFIX.trace.json, .cpuprofile).
 */
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { chromium, type CDPSession, type Page } from "@playwright/test";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { startApp } from "../testing/app/app-process";
import { startNatsServer } from "../server/nats-server-process";
import { p50 } from "../testing/probes/proc-stats";
import { WATCH_HYDRATION, hydratedAt } from "../testing/probes/hydration";
import { tracePage } from "../testing/probes/chromium-trace";

const { values } = parseArgs({
  options: { findings: { type: "string", default: "1000" }, runs: { type: "string", default: "5" }, trace: { type: "string" } },
});
const N = Number(values.findings);
const RUNS = Number(values.runs);
const DIST = process.env.BUSDECK_DIST_DIR ?? ".next";
if (!existsSync(`${DIST}/BUILD_ID`)) throw new Error(`BUSDECK_DIST_DIR=${DIST}: no build there`);

async function stalledConsumers(url: string, n: number): Promise<void> {
  const nc = await connect({ servers: url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "BENCH", subjects: ["bench.>"] });
  await jetstream(nc).publish("bench.one", "{}");
  for (let i = 0; i < n; i++) await jsm.consumers.add("BENCH", { durable_name: `stalled-${i}`, ack_policy: AckPolicy.Explicit });
  await nc.close();
}

async function openFindings(baseUrl: string): Promise<number> {
  const body = (await (await fetch(`${baseUrl}/api/findings`)).json()) as { findings: unknown[] };
  return body.findings.length;
}

/** Loads `/` cold: HTML received, first contentful paint and hydrated, on the page's clock. */
async function load(page: Page, baseUrl: string) {
  const hydrated = await hydratedAt(page, `${baseUrl}/`);
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=finding-row]").length >= n, N);
  return page.evaluate((h) => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN;
    return { html: nav.responseEnd, fcp, hydrated: h };
  }, hydrated);
}

/**
 * Runs in the page: clicks the brand link to `/` and resolves with the ms until the frame in which `n` finding rows
 * are in the document. A string, as WATCH_HYDRATION is: tsx's compiled closures call helpers the page lacks.
 */
const CLICK_TO_ROWS = (n: number) => `new Promise((resolve, reject) => {
  const link = document.querySelector("a.brand");
  if (!link) return reject(new Error("no brand link to the overview"));
  const start = performance.now();
  const check = () => {
    if (document.querySelectorAll("[data-testid=finding-row]").length >= ${n}) resolve(performance.now() - start);
    else requestAnimationFrame(check);
  };
  link.click();
  requestAnimationFrame(check);
})`;

/** Chromium's counters of the page's main thread, in ms: busy in tasks, in scripts, in style and layout. */
async function mainThread(cdp: CDPSession) {
  const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
  const ms = (name: string) => (metrics.find((m) => m.name === name)?.value ?? NaN) * 1000;
  return { task: ms("TaskDuration"), script: ms("ScriptDuration"), layout: ms("LayoutDuration") + ms("RecalcStyleDuration") };
}

/**
 * From /streams, follows the brand link to `/`: from the click to the frame with every finding row in the document,
 * and how long the page's main thread was busy meanwhile (what the wall time is less the server and the wire).
 */
async function clientRender(page: Page, cdp: CDPSession, baseUrl: string) {
  await hydratedAt(page, `${baseUrl}/streams`);
  const before = await mainThread(cdp);
  const wall = (await page.evaluate(CLICK_TO_ROWS(N))) as number;
  const after = await mainThread(cdp);
  return { wall, task: after.task - before.task, script: after.script - before.script, layout: after.layout - before.layout };
}

const srv = await startNatsServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
});
let app: Awaited<ReturnType<typeof startApp>> | null = null;
try {
  await stalledConsumers(srv.url, N);
  app = await startApp({ NATS_URL: srv.url, BUSDECK_DEMO: "0", BUSDECK_DIST_DIR: DIST, BUSDECK_CONSUMER_WINDOW: "3" });
  const baseUrl = app.baseUrl;
  const deadline = Date.now() + 120_000;
  while ((await openFindings(baseUrl)) < N) {
    if (Date.now() > deadline) throw new Error(`fewer than ${N} findings open after 2 min: ${await openFindings(baseUrl)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(WATCH_HYDRATION);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  await load(page, baseUrl); // untimed: the first visit after start is cold
  const loads = [];
  const renders = [];
  for (let r = 0; r < RUNS; r++) {
    loads.push(await load(page, baseUrl));
    renders.push(await clientRender(page, cdp, baseUrl));
  }
  if (values.trace) await tracePage(browser, page, values.trace, () => clientRender(page, cdp, baseUrl));
  const ms = (xs: number[]) => `${p50(xs).toFixed(0)} ms (${xs.map((x) => x.toFixed(0)).join(", ")})`;
  console.log(`overview with ${N} open findings, median of ${RUNS} runs (each run's figure in brackets):`);
  console.log(`  load: HTML received ${ms(loads.map((l) => l.html))}`);
  console.log(`  load: first contentful paint ${ms(loads.map((l) => l.fcp))}`);
  console.log(`  load: content hydrated ${ms(loads.map((l) => l.hydrated))}`);
  console.log(`  client render (brand link → all rows in the document): ${ms(renders.map((r) => r.wall))}`);
  console.log(`  client render, main thread busy: ${ms(renders.map((r) => r.task))}`);
  console.log(`    of which script ${ms(renders.map((r) => r.script))}, style and layout ${ms(renders.map((r) => r.layout))}`);
  console.log(
    `load average after the runs: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(", ")} (2 cores)`,
  );
} finally {
  await browser.close();
  await app?.stop();
  await srv.stop();
}
