/**
 * Consumer lag view at scale (docs/benchmarks.md#consumer-lag-view--benchconsumer-view). Prints figures; asserts
 * nothing.
 *
 *   BUSDECK_DIST_DIR=.next-consumers npm run bench:consumer-view -- [--streams 100] [--consumers 100] [--runs 3] [--filters 20] [--trace out] [--baseline DIR] [--timeline] [--warm-browser]
 *
 * A local nats-server with STREAMS × CONSUMERS consumers (every tenth stream holds messages, so a tenth of
 * the consumers lag and their rows change every sample; one stream gets a message per second), a busdeck
 * server against it (built into $BUSDECK_DIST_DIR first when that holds no build), and Debian's Chromium at
 * 1280×800. Prints:
 *   - time from navigation to the table showing every consumer (RUNS times): first painted (the server renders
 *     the first screen into the HTML) and live (the first frame whose table holds every row from the live stream,
 *     both on the page's own clock), and what Playwright sees after the load event;
 *   - time from typing a name filter to the filtered table, measured in the page with performance.now(), FILTERS
 *     times at random moments over the live updates (a filter typed while a patch lands is the slow one);
 *   - what the SSE stream carries for the list: the first consumer_rows state and each later patch, read from
 *     Chromium's own EventSource events, against the whole `consumers` snapshot;
 *   - how many rows the virtualized table keeps in the DOM;
 * and saves a screenshot of the table. With --trace PREFIX, one more navigation runs under a Chromium trace and a
 * CPU profile of the page (PREFIX.trace.json, PREFIX.cpuprofile; both open in DevTools), summarized here: the main
 * thread's long tasks and the JavaScript functions by self time (with --baseline, the baseline's too, as
 * PREFIX-baseline).
 *
 * With --timeline, each run's milestones and long tasks in the page's clock. With --warm-browser, Chromium first
 * opens /api/health, so the first run measures the server's first render of the page without the browser's own
 * cold start (the first navigation after busdeck starts, for an operator whose browser is already open).
 *
 * With --baseline DIR (another build, e.g. of main), a second busdeck from that build runs against the same
 * nats-server and the page alternates between the two on every run and filter: before/after figures taken under
 * the same machine load, which on a shared machine is the only comparison worth quoting. The first slot is biased
 * (the A/A row in bench/RESULTS.md): run it both ways round and take the square root of the two ratios' quotient.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { chromium, type Page } from "@playwright/test";
import { connect } from "@nats-io/transport-node";
import { AckPolicy, jetstreamManager } from "@nats-io/jetstream";
import { startApp } from "../testing/app/app-process";
import { saveScreenshot } from "../testing/app/screenshots";
import { mapLimit } from "../server/concurrency";
import { startNatsServer } from "../server/nats-server-process";
import { p50, percentile } from "../testing/probes/proc-stats";
import { tracePage } from "../testing/probes/chromium-trace";

const { values } = parseArgs({
  options: {
    streams: { type: "string", default: "100" },
    consumers: { type: "string", default: "100" },
    runs: { type: "string", default: "3" },
    filters: { type: "string", default: "20" },
    trace: { type: "string" },
    baseline: { type: "string" },
    timeline: { type: "boolean", default: false },
    "warm-browser": { type: "boolean", default: false },
  },
});
const STREAMS = Number(values.streams);
const FILTERS = Number(values.filters);
const PER_STREAM = Number(values.consumers);
const RUNS = Number(values.runs);
const TOTAL = STREAMS * PER_STREAM;
const DIST = process.env.BUSDECK_DIST_DIR ?? ".next-consumers";
process.env.BUSDECK_DIST_DIR = DIST;

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const fmtMs = (xs: number[]) =>
  `median ${p50(xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (${xs.map((x) => x.toFixed(0)).join(", ")})`;

if (!existsSync(`${DIST}/BUILD_ID`)) {
  console.log(`building busdeck into ${DIST} …`);
  execFileSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    stdio: "inherit",
    env: { ...process.env, BUSDECK_DIST_DIR: DIST },
  });
}

const srv = await startNatsServer();
const nc = await connect({ servers: srv.url });
/** A busdeck under test: the build it runs and what was measured on it. */
interface Build {
  label: string;
  dist: string;
  app?: Awaited<ReturnType<typeof startApp>>;
  renderMs: number[];
  /** The first frame showing the table with every consumer counted, from the page's own clock (an init script's rAF). */
  paintedMs: number[];
  /** The first frame whose table holds every row from the live stream, from the page's own clock. */
  liveMs: number[];
  /** The first frame after the app took over the boot script's event stream: hydrated, its effects run. */
  adoptedMs: number[];
  firstFrameMs: number[];
  sseRequestedMs: number[];
  sseRespondedMs: number[];
  /** The document itself, from the page's navigation timing: first byte, last byte. */
  docFirstByteMs: number[];
  docLastByteMs: number[];
  filterMs: number[];
  /** Main-thread work from navigation to the full table (Chromium's TaskDuration, ScriptDuration): less at the mercy of the machine's load than wall time. */
  taskMs: number[];
  scriptMs: number[];
  firstState?: number;
  patches: number[];
}
const newBuild = (label: string, dist: string): Build => ({
  label,
  dist,
  renderMs: [],
  paintedMs: [],
  liveMs: [],
  adoptedMs: [],
  firstFrameMs: [],
  sseRequestedMs: [],
  sseRespondedMs: [],
  docFirstByteMs: [],
  docLastByteMs: [],
  filterMs: [],
  taskMs: [],
  scriptMs: [],
  patches: [],
});
const builds = [newBuild("this build", DIST), ...(values.baseline ? [newBuild("baseline", values.baseline)] : [])];
if (values.baseline && !existsSync(`${values.baseline}/BUILD_ID`)) throw new Error(`--baseline ${values.baseline}: no build there`);
let ticker: ReturnType<typeof setInterval> | undefined;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
});
try {
  const jsm = await jetstreamManager(nc);
  const names = Array.from({ length: STREAMS }, (_, i) => `view-${String(i).padStart(3, "0")}`);
  await mapLimit(names, 8, async (name) => {
    await jsm.streams.add({ name, subjects: [`${name}.>`] });
    if (names.indexOf(name) % 10 === 0) for (let m = 0; m < 5; m++) nc.publish(`${name}.evt`, `m${m}`);
    for (let c = 0; c < PER_STREAM; c++)
      await jsm.consumers.add(name, { durable_name: `c${String(c).padStart(3, "0")}`, ack_policy: AckPolicy.Explicit });
  });
  // ingest keeps flowing on the lagging tenth only: the rest of the fleet stays caught up, as most of a real one is
  const lagging = names.filter((_, i) => i % 10 === 0);
  let next = 0;
  ticker = setInterval(() => nc.publish(`${lagging[next++ % lagging.length]}.evt`, "tick"), 1_000);
  // each build in a fleet of its own (its own sampler lease and sample subjects): in one fleet only the leader
  // samples, and the busier server would answer its page later than the follower
  for (const [k, b] of builds.entries())
    b.app = await startApp({
      NATS_URL: srv.url,
      BUSDECK_DEMO: "0",
      BUSDECK_DIST_DIR: b.dist,
      BUSDECK_FLEET_KEY: `bench-view-${k}`,
      BUSDECK_FLEET_PREFIX: `bench${k}`,
    });

  // let busdeck take its first samples so the page measures rendering, not the sampler's start
  let fullSnapshotBytes = 0;
  for (const b of builds) fullSnapshotBytes = await everyConsumerSampled(b.app!.baseUrl);

  // then into the steady state an operator navigates in (health windows and 30-point sparklines full: until
  // then every row changes every sample), as bench:consumer-sampler measures too
  await new Promise((r) => setTimeout(r, 32_000));

  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const sse = await watchEventSource(page);
  await page.addInitScript(watchTablePaint(TOTAL));
  // Chromium's own first navigation is slow too (its network service, the renderer): without this, run 0 adds
  // the browser's cold start to the server's first render of the page; with it, run 0 is the server's alone,
  // as for an operator whose browser is already open
  if (values["warm-browser"]) await page.goto(`${builds[0]!.app!.baseUrl}/api/health`);
  const perf = await page.context().newCDPSession(page);
  await perf.send("Performance.enable");
  const mainThreadMs = async () => {
    const { metrics } = await perf.send("Performance.getMetrics");
    const at = (name: string) => (metrics.find((m) => m.name === name)?.value ?? NaN) * 1000;
    return { task: at("TaskDuration"), script: at("ScriptDuration") };
  };

  // alternating which build goes first, so neither always follows the other
  const inTurn = (run: number) => (run % 2 === 0 ? builds : [...builds].reverse());
  for (let run = 0; run < RUNS; run++) {
    for (const b of inTurn(run)) {
      sse.reset();
      const t0 = performance.now();
      await page.goto(`${b.app!.baseUrl}/consumers`);
      await allShown(page, TOTAL);
      await page.getByTestId("consumer-row-c000").first().waitFor();
      b.renderMs.push(performance.now() - t0);
      b.paintedMs.push(
        await page
          .waitForFunction(() => (window as unknown as { __tablePaintedAt?: number }).__tablePaintedAt)
          .then((h) => h.jsonValue() as Promise<number>),
      );
      b.liveMs.push(
        await page
          .waitForFunction(() => (window as unknown as { __liveTableAt?: number }).__liveTableAt, undefined, { timeout: 60_000 })
          .then((h) => h.jsonValue() as Promise<number>),
      );
      b.adoptedMs.push(await page.evaluate(() => (window as unknown as { __sseAdoptedAt?: number }).__sseAdoptedAt ?? NaN));
      if (values.timeline) console.log(`  run ${run} [${b.label}] page clock: ${await pageTimeline(page)}`);
      // the metrics count from the document's start: the new page's work up to here
      const work = await mainThreadMs();
      b.taskMs.push(work.task);
      b.scriptMs.push(work.script);
      const state = sse.frames().find((f) => f.type === "state");
      b.firstFrameMs.push((state?.at ?? NaN) - t0);
      b.firstState = state?.bytes;
      b.sseRequestedMs.push(sse.opened().requested - t0);
      b.sseRespondedMs.push(sse.opened().responded - t0);
      const doc = await page.evaluate(() => {
        const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        return { first: nav.responseStart, last: nav.responseEnd };
      });
      b.docFirstByteMs.push(doc.first);
      b.docLastByteMs.push(doc.last);
    }
  }
  const domRows = await page.locator("[data-testid^=consumer-row-]").count();
  if (values.trace)
    for (const [k, b] of builds.entries())
      await traceNavigation(page, b.app!.baseUrl, k === 0 ? values.trace : `${values.trace}-${b.label}`);

  let shot = "";
  for (const b of builds) {
    if (page.url() !== `${b.app!.baseUrl}/consumers`) {
      await page.goto(`${b.app!.baseUrl}/consumers`);
      await allShown(page, TOTAL);
    }
    // a few seconds of live updates on the open page
    sse.reset();
    await new Promise((r) => setTimeout(r, 5_000));
    b.patches = sse
      .frames()
      .filter((f) => f.type === "state_patch")
      .map((f) => f.bytes);
    // spread over several samples, at no fixed phase to them: a filter typed while a sample's patch lands is the slow case
    const queries = ["c042", "c09", "c05", "c077", "zzz"];
    for (let k = 0; k < FILTERS; k++) {
      await new Promise((r) => setTimeout(r, Math.random() * 900));
      b.filterMs.push(await timeFilter(page, queries[k % queries.length]!));
      await timeFilter(page, "");
    }
    await page.getByTestId("consumer-filter").fill("");
    await allShown(page, TOTAL);
    if (b === builds[0]) shot = await saveScreenshot(page, `consumers-table-${TOTAL / 1000}k`);
  }

  console.log(
    `consumers: ${(await page.getByTestId("consumer-count").textContent())?.split(" of ")[1]}; rows in the DOM (virtualized): ${domRows}`,
  );
  for (const b of builds) {
    console.log(
      `${builds.length > 1 ? `[${b.label}: ${b.dist}] ` : ""}navigation → table painted (first frame with every consumer counted and the top rows): ${fmtMs(b.paintedMs)} (target ≤ 1000 ms)`,
    );
    console.log(
      `  navigation → live table (first frame with every row from the live stream, page clock): ${fmtMs(b.liveMs)} (target ≤ 1000 ms)`,
    );
    console.log(
      `    of which navigation → page hydrated (the first frame after the app took over the boot script's event stream): ${fmtMs(b.adoptedMs)}`,
    );
    console.log(
      `  navigation → table seen by Playwright (goto's load event, then the count and the top row; bench clock): ${fmtMs(b.renderMs)}`,
    );
    console.log(`  navigation → document's first byte: ${fmtMs(b.docFirstByteMs)}; last byte: ${fmtMs(b.docLastByteMs)}`);
    console.log(`  navigation → page hydrated and EventSource requested: ${fmtMs(b.sseRequestedMs)}`);
    console.log(`  navigation → SSE response headers: ${fmtMs(b.sseRespondedMs)}`);
    console.log(`  navigation → whole consumer_rows state received by Chromium: ${fmtMs(b.firstFrameMs)}`);
    console.log(`  whole consumer_rows state received → full table: ${fmtMs(b.renderMs.map((r, k) => r - b.firstFrameMs[k]!))}`);
    console.log(`  main-thread work, navigation → full table: tasks ${fmtMs(b.taskMs)}; of it script ${fmtMs(b.scriptMs)}`);
    const sortedFilters = [...b.filterMs].sort((x, y) => x - y);
    console.log(
      `  name filter → filtered table: median ${p50(b.filterMs).toFixed(0)} ms, p90 ${percentile(sortedFilters, 90).toFixed(0)} ms, max ${Math.max(...b.filterMs).toFixed(0)} ms; over 100 ms: ${b.filterMs.filter((x) => x > 100).length} of ${b.filterMs.length} (target ≤ 100 ms)`,
    );
  }
  if (builds.length > 1) {
    const ratio = (f: (b: Build) => number[]) => (p50(f(builds[0]!)) / p50(f(builds[1]!))).toFixed(2);
    console.log(
      `this build / baseline (medians, same run): navigation → table painted ${ratio((b) => b.paintedMs)}×, live table ${ratio((b) => b.liveMs)}×; main-thread work ${ratio((b) => b.taskMs)}×, script ${ratio((b) => b.scriptMs)}× (the first slot is biased slower: swap the builds and compare)`,
    );
  }
  const b0 = builds[0]!;
  console.log(
    `wire, before: the whole 'consumers' snapshot, ${kib(fullSnapshotBytes)}, streamed every sample (and fetched once more on load)`,
  );
  console.log(
    `wire, after: first consumer_rows state ${kib(b0.firstState ?? 0)}; then ${b0.patches.length} patches in 5 s, p50 ${kib(p50(b0.patches))}, max ${kib(Math.max(0, ...b0.patches))}`,
  );
  console.log(`screenshot: ${shot}`);
  if (errors.length) console.log(`page errors: ${errors.slice(0, 5).join(" | ")}`);
  for (const b of builds)
    console.log(
      `${builds.length > 1 ? `[${b.label}] ` : ""}busdeck's event loop over the run, and its memory at the end: ${await serverFigures(b.app!.baseUrl)}`,
    );
  console.log(
    `load average: ${(await import("node:os"))
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );
} catch (err) {
  const page = browser.contexts().flatMap((c) => c.pages())[0];
  if (page)
    console.log(
      `on failure the page said: ${(
        await page
          .locator("main")
          .innerText()
          .catch(() => "")
      ).slice(0, 600)}\nscreenshot: ${await saveScreenshot(page, "consumers-bench-failure")}`,
    );
  throw err;
} finally {
  clearInterval(ticker);
  await browser.close();
  for (const b of builds) await b.app?.stop();
  await nc.close();
  await srv.stop();
}

/**
 * The event-loop delay busdeck's own /metrics reports (prom-client's default metrics): what every request waits
 * behind; and the server process's resident memory and JS heap.
 */
async function serverFigures(baseUrl: string): Promise<string> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const at = (name: string) =>
    Number(new RegExp(`^busdeck_nodejs_eventloop_lag_${name}_seconds (\\S+)`, "m").exec(text)?.[1] ?? NaN) * 1000;
  const mib = (name: string) => (Number(new RegExp(`^busdeck_${name} (\\S+)`, "m").exec(text)?.[1] ?? NaN) / 2 ** 20).toFixed(0);
  return `p50 ${at("p50").toFixed(0)} ms, p99 ${at("p99").toFixed(0)} ms, max ${at("max").toFixed(0)} ms; RSS ${mib("process_resident_memory_bytes")} MiB, JS heap used ${mib("nodejs_heap_size_used_bytes")} MiB`;
}

/** Waits until busdeck's full consumers snapshot lists every consumer; its size in bytes. */
async function everyConsumerSampled(baseUrl: string): Promise<number> {
  for (const deadline = Date.now() + Math.max(90_000, TOTAL * 9); ;) {
    const text = await (await fetch(`${baseUrl}/api/topics/consumers`)).text();
    // busdeck may add consumers of its own (its history reader): at least TOTAL
    if (((JSON.parse(text) as { consumers?: unknown[] })?.consumers?.length ?? 0) >= TOTAL) return Buffer.byteLength(text);
    if (Date.now() > deadline) throw new Error("the sampler never reported every consumer");
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** One more navigation to the full table under a Chromium trace and a CPU profile of the page; prints their summaries. */
async function traceNavigation(page: Page, baseUrl: string, prefix: string) {
  const traced = await tracePage(browser, page, prefix, async () => {
    const t0 = performance.now();
    await page.goto(`${baseUrl}/consumers`);
    await allShown(page, TOTAL);
    await page.getByTestId("consumer-row-c000").first().waitFor();
    return performance.now() - t0;
  });
  console.log(`traced navigation → full table: ${traced.toFixed(0)} ms (slower than untraced); ${prefix}.trace.json, ${prefix}.cpuprofile`);
}

/** Sizes of the consumer-list events the page's EventSource receives, from Chromium's network domain. */
async function watchEventSource(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  let seen: { type: string; bytes: number; at: number }[] = [];
  let opened = { requested: NaN, responded: NaN };
  const ids = new Set<string>();
  cdp.on("Network.requestWillBeSent", (e: { requestId: string; request: { url: string } }) => {
    if (!e.request.url.includes("/api/events")) return;
    ids.add(e.requestId);
    opened.requested = performance.now();
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

/**
 * A JavaScript expression, true in the page when the count reads "N of N" with N at least `total`: every consumer
 * sampled and shown. Text rather than a function, so the init script below can embed it (tsx wraps named inner
 * functions in a helper, __name, that the page does not have).
 */
function everyConsumerCounted(total: number): string {
  return `(() => { const [shown, all] = (document.querySelector("[data-testid=consumer-count]")?.textContent ?? "").split(" of ").map((x) => Number(x.replace(/\\D/g, ""))); return shown === all && all >= ${total}; })()`;
}

/**
 * Runs in the page before its own scripts: records the first animation frame (painted right after it) in which
 * every consumer is counted and the first consumer's row is there — whether the server's HTML or the live rows
 * put it there — and the first in which the table holds every row from the live stream (data-rows=live).
 */
function watchTablePaint(total: number): string {
  return `(() => {
  const check = () => {
    const counted = ${everyConsumerCounted(total)};
    if (counted && document.querySelector("[data-testid=consumer-row-c000]")) window.__tablePaintedAt ??= performance.now();
    // the app takes the boot script's stream (window.__busdeckEarlySse) in an effect, i.e. once hydrated
    if (window.__sseSeenAt && !window.__busdeckEarlySse) window.__sseAdoptedAt ??= performance.now();
    if (window.__busdeckEarlySse) window.__sseSeenAt ??= performance.now();
    if (counted && document.querySelector("[data-testid=consumers-table][data-rows=live]")) window.__liveTableAt = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
  // --timeline: the page's own record of its long tasks and milestones, printed per run
  window.__timeline = [];
  const at = (name) => window.__timeline.push([Math.round(performance.now()), 0, name]);
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__timeline.push([Math.round(e.startTime), Math.round(e.duration), "long task"]); }).observe({ type: "longtask", buffered: true });
  document.addEventListener("DOMContentLoaded", () => at("DOMContentLoaded"));
  window.addEventListener("load", () => at("load"));
})()`;
}

/** The run's milestones and long tasks (over 50 ms) in the page's clock: where the time to the live table went. */
async function pageTimeline(page: Page): Promise<string> {
  const marks = await page.evaluate(() => {
    const w = window as unknown as {
      __timeline: [number, number, string][];
      __tablePaintedAt?: number;
      __sseAdoptedAt?: number;
      __liveTableAt?: number;
    };
    const milestones: [number | undefined, string][] = [
      [w.__tablePaintedAt, "table painted"],
      [w.__sseAdoptedAt, "hydrated"],
      [w.__liveTableAt, "live table"],
    ];
    return [
      ...w.__timeline,
      ...milestones.filter(([t]) => t !== undefined).map(([t, name]): [number, number, string] => [Math.round(t!), 0, name]),
    ].sort((a, b) => a[0] - b[0]);
  });
  return marks.map(([t, d, name]) => (d ? `${t} ${name} ${d} ms` : `${t} ${name}`)).join(" · ");
}

async function allShown(page: Page, total: number) {
  await page.waitForFunction(everyConsumerCounted(total), undefined, { timeout: 60_000, polling: "raf" });
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
    for (const deadline = t + 5_000; count.textContent === before && performance.now() < deadline;)
      await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t;
  }, q);
}
