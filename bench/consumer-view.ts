/**
 * Consumer lag view at scale (issue 7). Prints figures; asserts nothing.
 *
 *   BUSDECK_DIST_DIR=.next-consumers npm run bench:consumer-view -- [--streams 100] [--consumers 100] [--runs 3] [--trace out]
 *
 * A local nats-server with STREAMS × CONSUMERS consumers (every tenth stream holds messages, so a tenth of
 * the consumers lag and their rows change every sample; one stream gets a message per second), a busdeck
 * server against it (built into $BUSDECK_DIST_DIR first when that holds no build), and Debian's Chromium at
 * 1280×800. Prints:
 *   - time from navigation to the table showing every consumer (RUNS times);
 *   - time from typing a name filter to the filtered table, measured in the page with performance.now();
 *   - what the SSE stream carries for the list: the first consumer_rows state and each later patch, read from
 *     Chromium's own EventSource events, against the whole `consumers` snapshot every page used to stream;
 *   - how many rows the virtualized table keeps in the DOM;
 * and saves a screenshot of the table. With --trace PREFIX, one more navigation runs under a Chromium trace and a
 * CPU profile of the page (PREFIX.trace.json, PREFIX.cpuprofile; both open in DevTools), summarized here: the
 * main thread's long tasks and the JavaScript functions by self time.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { chromium, type Page } from "@playwright/test";
import { connect } from "@nats-io/transport-node";
import { AckPolicy, jetstreamManager } from "@nats-io/jetstream";
import { startApp } from "../e2e/support/app-process";
import { saveScreenshot } from "../e2e/support/screenshots";
import { mapLimit } from "../server/concurrency";
import { startNatsServer } from "../server/nats-server-process";
import { percentile } from "./support/proc-stats";
import { TRACE_CATEGORIES, summarizeCpuProfile, summarizeTrace } from "./support/chromium-trace";

const { values } = parseArgs({ options: { streams: { type: "string", default: "100" }, consumers: { type: "string", default: "100" }, runs: { type: "string", default: "3" }, trace: { type: "string" } } });
const STREAMS = Number(values.streams);
const PER_STREAM = Number(values.consumers);
const RUNS = Number(values.runs);
const TOTAL = STREAMS * PER_STREAM;
const DIST = process.env.BUSDECK_DIST_DIR ?? ".next-consumers";
process.env.BUSDECK_DIST_DIR = DIST;

const p50 = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const fmtMs = (xs: number[]) => `median ${p50(xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (${xs.map((x) => x.toFixed(0)).join(", ")})`;

if (!existsSync(`${DIST}/BUILD_ID`)) {
  console.log(`building busdeck into ${DIST} …`);
  execFileSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit", env: { ...process.env, BUSDECK_DIST_DIR: DIST } });
}

const srv = await startNatsServer();
const nc = await connect({ servers: srv.url });
let app: Awaited<ReturnType<typeof startApp>> | undefined;
let ticker: ReturnType<typeof setInterval> | undefined;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"] });
try {
  const jsm = await jetstreamManager(nc);
  const names = Array.from({ length: STREAMS }, (_, i) => `view-${String(i).padStart(3, "0")}`);
  await mapLimit(names, 8, async (name) => {
    await jsm.streams.add({ name, subjects: [`${name}.>`] });
    if (names.indexOf(name) % 10 === 0) for (let m = 0; m < 5; m++) nc.publish(`${name}.evt`, `m${m}`);
    for (let c = 0; c < PER_STREAM; c++) await jsm.consumers.add(name, { durable_name: `c${String(c).padStart(3, "0")}`, ack_policy: AckPolicy.Explicit });
  });
  // ingest keeps flowing on the lagging tenth only: the rest of the fleet stays caught up, as most of a real one is
  const lagging = names.filter((_, i) => i % 10 === 0);
  let next = 0;
  ticker = setInterval(() => nc.publish(`${lagging[next++ % lagging.length]}.evt`, "tick"), 1_000);
  app = await startApp({ NATS_URL: srv.url, BUSDECK_DEMO: "0" });

  // let busdeck take its first samples so the page measures rendering, not the sampler's start
  let fullSnapshotBytes = 0;
  for (const deadline = Date.now() + 90_000; ; ) {
    const text = await (await fetch(`${app.baseUrl}/api/topics/consumers`)).text();
    // busdeck may add consumers of its own (its history reader): at least TOTAL
    if (((JSON.parse(text) as { consumers?: unknown[] })?.consumers?.length ?? 0) >= TOTAL) {
      fullSnapshotBytes = Buffer.byteLength(text);
      break;
    }
    if (Date.now() > deadline) throw new Error("the sampler never reported every consumer");
    await new Promise((r) => setTimeout(r, 500));
  }

  // then into the steady state an operator navigates in (health windows and 30-point sparklines full: until
  // then every row changes every sample), as bench:consumer-sampler measures too
  await new Promise((r) => setTimeout(r, 32_000));

  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const sse = await watchEventSource(page);

  const renderMs: number[] = [];
  const firstFrameMs: number[] = [];
  const sseRequestedMs: number[] = [];
  const sseRespondedMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    sse.reset();
    const t0 = performance.now();
    await page.goto(`${app.baseUrl}/consumers`);
    await allShown(page, TOTAL);
    await page.getByTestId("consumer-row-c000").first().waitFor();
    renderMs.push(performance.now() - t0);
    firstFrameMs.push((sse.frames().find((f) => f.type === "state")?.at ?? NaN) - t0);
    sseRequestedMs.push(sse.opened().requested - t0);
    sseRespondedMs.push(sse.opened().responded - t0);
  }
  const domRows = await page.locator("[data-testid^=consumer-row-]").count();
  if (values.trace) await traceNavigation(page, values.trace);

  // a few seconds of live updates on the open page
  await new Promise((r) => setTimeout(r, 5_000));
  const frames = sse.frames();
  const first = frames.find((f) => f.type === "state");
  const patches = frames.filter((f) => f.type === "state_patch");

  const filterMs: number[] = [];
  for (const q of ["c042", "c09", "c05", "c077", "zzz"]) {
    filterMs.push(await timeFilter(page, q));
    await timeFilter(page, "");
  }
  await page.getByTestId("consumer-filter").fill("");
  await allShown(page, TOTAL);
  const shot = await saveScreenshot(page, "consumers-table-10k");

  console.log(`consumers: ${(await page.getByTestId("consumer-count").textContent())?.split(" of ")[1]}; rows in the DOM (virtualized): ${domRows}`);
  console.log(`navigation → full table: ${fmtMs(renderMs)} (target ≤ 1000 ms)`);
  console.log(`  navigation → page hydrated and EventSource requested: ${fmtMs(sseRequestedMs)}`);
  console.log(`  navigation → SSE response headers: ${fmtMs(sseRespondedMs)}`);
  console.log(`  navigation → whole consumer_rows state received by Chromium: ${fmtMs(firstFrameMs)}`);
  console.log(`name filter → filtered table: ${fmtMs(filterMs)} (target ≤ 100 ms)`);
  console.log(`wire, before: the whole 'consumers' snapshot, ${kib(fullSnapshotBytes)}, streamed every sample (and fetched once more on load)`);
  console.log(`wire, after: first consumer_rows state ${kib(first?.bytes ?? 0)}; then ${patches.length} patches in 5 s, p50 ${kib(p50(patches.map((p) => p.bytes)))}, max ${kib(Math.max(0, ...patches.map((p) => p.bytes)))}`);
  console.log(`screenshot: ${shot}`);
  if (errors.length) console.log(`page errors: ${errors.slice(0, 5).join(" | ")}`);
  console.log(`load average: ${(await import("node:os")).loadavg().map((x) => x.toFixed(1)).join(" ")}`);
} catch (err) {
  const page = browser.contexts().flatMap((c) => c.pages())[0];
  if (page) console.log(`on failure the page said: ${(await page.locator("main").innerText().catch(() => "")).slice(0, 600)}\nscreenshot: ${await saveScreenshot(page, "consumers-bench-failure")}`);
  throw err;
} finally {
  clearInterval(ticker);
  await browser.close();
  await app?.stop();
  await nc.close();
  await srv.stop();
}

/** One more navigation to the full table under a Chromium trace and a CPU profile of the page; prints their summaries. */
async function traceNavigation(page: Page, prefix: string) {
  const { writeFileSync } = await import("node:fs");
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  await cdp.send("Profiler.start");
  const t0 = performance.now();
  await page.goto(`${app!.baseUrl}/consumers`);
  await allShown(page, TOTAL);
  await page.getByTestId("consumer-row-c000").first().waitFor();
  const traced = performance.now() - t0;
  const { profile } = await cdp.send("Profiler.stop");
  const trace = (await browser.stopTracing()).toString();
  writeFileSync(`${prefix}.trace.json`, trace);
  writeFileSync(`${prefix}.cpuprofile`, JSON.stringify(profile));
  await cdp.detach();
  console.log(`traced navigation → full table: ${traced.toFixed(0)} ms (slower than untraced); ${prefix}.trace.json, ${prefix}.cpuprofile`);
  console.log(summarizeTrace(trace, profile));
  console.log(`page JavaScript by self time:\n${summarizeCpuProfile(profile)}`);
}

/** Sizes of the consumer-list events the page's EventSource receives, from Chromium's network domain. */
async function watchEventSource(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  let seen: { type: string; bytes: number; at: number }[] = [];
  let opened = { requested: NaN, responded: NaN };
  const ids = new Set<string>();
  cdp.on("Network.requestWillBeSent", (e: { requestId: string; request: { url: string } }) => {
    if (e.request.url.includes("/api/events")) (ids.add(e.requestId), (opened.requested = performance.now()));
  });
  cdp.on("Network.responseReceived", (e: { requestId: string }) => {
    if (ids.has(e.requestId)) opened.responded = performance.now();
  });
  cdp.on("Network.eventSourceMessageReceived", (e: { data: string }) => {
    const m = /^\{"type":"(state|state_patch)","topic":"(consumer_rows|consumers)"/.exec(e.data);
    if (m) seen.push({ type: m[1]!, bytes: Buffer.byteLength(e.data), at: performance.now() });
  });
  return { reset: () => ((seen = []), (opened = { requested: NaN, responded: NaN })), frames: () => seen, opened: () => opened };
}

/** The count reads "N of N" with N at least `total`: every consumer sampled and shown. */
async function allShown(page: Page, total: number) {
  await page.waitForFunction(
    (n) => {
      const [shown, all] = (document.querySelector("[data-testid=consumer-count]")?.textContent ?? "").split(" of ").map((x) => Number(x.replace(/\D/g, "")));
      return shown === all && (all ?? 0) >= n;
    },
    total,
    { timeout: 60_000, polling: "raf" },
  );
}

/** From setting the filter box to the count of shown rows changing, timed inside the page. */
async function timeFilter(page: Page, q: string): Promise<number> {
  return page.evaluate(async (value) => {
    const input = document.querySelector<HTMLInputElement>("[data-testid=consumer-filter]")!;
    const count = document.querySelector("[data-testid=consumer-count]")!;
    const before = count.textContent;
    const t = performance.now();
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(input, value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    for (const deadline = t + 5_000; count.textContent === before && performance.now() < deadline; ) await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t;
  }, q);
}
