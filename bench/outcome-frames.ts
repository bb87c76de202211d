/**
 * Browser responsiveness of the Reflex outcomes view under load, against its target: no frame over 100 ms while
 * 2,000 outcomes/s flow in (docs/benchmarks.md#outcome-view-frames--benchoutcome-frames). Prints figures; asserts
 * nothing.
 *
 *   BUSDECK_DIST_DIR=.next-bench npx next build && BUSDECK_DIST_DIR=.next-bench npm run bench:outcome-frames -- [--rate 2000] [--seconds 20]
 *
 * A local nats-server with the REFLEX_OUTCOMES stream, a busdeck server from an existing build, Debian's
 * Chromium at 1280×800 on /outcomes. The page records every animation frame's duration and every long task
 * while this process publishes realistic outcomes (the demo's handlers, ~1 KB each) at the given rate.
 * --profile FILE saves the page's CPU profile; --trace FILE a Chromium trace, with its tasks over 50 ms printed.
 */
import { parseArgs } from "node:util";
import { loadavg } from "node:os";
import { chromium } from "@playwright/test";
import { connect } from "@nats-io/transport-node";
import { headers } from "@nats-io/nats-core";
import { jetstreamManager } from "@nats-io/jetstream";
import { startApp } from "../testing/app/app-process";
import { startNatsServer } from "../server/nats-server-process";
import { outcomeMessages } from "../testing/fixtures/outcome-payloads";
import { TRACE_CATEGORIES, summarizeTrace } from "../testing/probes/chromium-trace";

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "2000" },
    seconds: { type: "string", default: "20" },
    profile: { type: "string" },
    trace: { type: "string" },
  },
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const TICK_MS = 50;
const fmtMs = (seconds: number) => `${Math.round(seconds * 1000)} ms`;

const srv = await startNatsServer();
const nc = await connect({ servers: srv.url });
let app: Awaited<ReturnType<typeof startApp>> | undefined;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
});
try {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "REFLEX_OUTCOMES", subjects: ["reflex.outcome.>"], max_bytes: 2 * 1024 ** 3 });
  app = await startApp({ NATS_URL: srv.url, BUSDECK_DEMO: "0" });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // tsx keeps function names with an `__name` helper that does not exist inside the page.
  await page.addInitScript({ content: "globalThis.__name = (f) => f" });
  await page.goto(`${app.baseUrl}/outcomes`);
  await page.getByTestId("outcome-total").waitFor();
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __long: number[] };
    w.__frames = [];
    w.__long = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__long.push(e.duration))).observe({ type: "longtask" });
    let last = performance.now();
    const loop = (t: number) => {
      w.__frames.push(t - last);
      last = t;
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  });

  // The renderer's own CPU accounting (main-thread CPU time, script, style and layout): on a shared 2-core
  // machine frame times depend on everyone's load, these much less.
  const metricsCdp = await page.context().newCDPSession(page);
  await metricsCdp.send("Performance.enable");
  const readMetrics = async () =>
    Object.fromEntries((await metricsCdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
  const metrics0 = await readMetrics();

  // --profile out.cpuprofile: the page's main-thread CPU profile over the run (open in Chrome DevTools).
  const cdp = values.profile ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.start");
  }
  // --trace out.json: a Chromium trace of the run (open in DevTools), its tasks over 50 ms summarized here
  if (values.trace) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  const pool = outcomeMessages(2_000);
  let sent = 0;
  const t0 = Date.now();
  while (Date.now() - t0 < SECONDS * 1000) {
    const due = Math.floor(((Date.now() - t0) / 1000) * RATE);
    for (; sent < due; sent++) {
      const m = pool[sent % pool.length]!;
      const h = headers();
      h.set("Content-Type", "application/json");
      h.set("Nats-Msg-Id", `${m.msgId}-${sent}`);
      nc.publish(m.subject, m.data, { headers: h });
    }
    await nc.flush();
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  const elapsed = (Date.now() - t0) / 1000;
  // Let the last events land, then read the recordings.
  await new Promise((r) => setTimeout(r, 1_000));
  const { frames, long } = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __long: number[] };
    return { frames: w.__frames.slice(1), long: w.__long };
  });
  const metrics1 = await readMetrics();
  const perSecond = (name: string) => ((metrics1[name] ?? 0) - (metrics0[name] ?? 0)) / elapsed;
  const shown = await page.getByTestId("outcome-total").textContent();
  if (cdp) {
    const { profile } = await cdp.send("Profiler.stop");
    (await import("node:fs")).writeFileSync(values.profile!, JSON.stringify(profile));
    console.log(`page CPU profile written to ${values.profile}`);
  }
  if (values.trace) {
    const trace = (await browser.stopTracing()).toString();
    (await import("node:fs")).writeFileSync(values.trace, trace);
    console.log(`trace written to ${values.trace}\n${summarizeTrace(trace, undefined, 50)}`);
  }
  const sorted = [...frames].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  console.log(
    `published ${sent.toLocaleString("en-US")} outcomes in ${elapsed.toFixed(1)} s (${Math.round(sent / elapsed).toLocaleString("en-US")}/s); page shows "${shown}"`,
  );
  console.log(
    `frames: ${frames.length} (${(frames.length / elapsed).toFixed(0)} fps); p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms; over 100 ms: ${frames.filter((f) => f > 100).length} (target 0)`,
  );
  console.log(
    `page main thread per second of run: ${fmtMs(perSecond("ThreadTime"))} CPU; script ${fmtMs(perSecond("ScriptDuration"))}, style ${fmtMs(perSecond("RecalcStyleDuration"))}, layout ${fmtMs(perSecond("LayoutDuration"))}`,
  );
  console.log(`long tasks (> 50 ms): ${long.length}, longest ${long.length ? Math.max(...long).toFixed(0) : 0} ms`);
  console.log(
    `load average: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );
} finally {
  await browser.close();
  await app?.stop();
  await nc.close();
  await srv.stop();
}
