/**
 * The Connections page at 10,000 connections: ten stand-in monitoring endpoints (`/varz`, `/connz`, …), each
 * answering as a server with 1,000 open connections (the page's per-server cap), a tenth of them moving messages
 * between samples (--active), busdeck (the build in
 * $BUSDECK_DIST_DIR) reading them through BUSDECK_MONITOR_URLS, and Chromium timing how long /bus/connections
 * takes to show them and how long one filter keystroke takes to re-render the table (targets: ≤ 1 s, ≤ 100 ms).
 *
 *   BUSDECK_DIST_DIR=.next-e2e npm run bench:bus-connections -- [--servers 10] [--per-server 1000] [--active 0.1] [--trace PREFIX]
 *
 * Also prints what the page's stream costs on the wire (bytes over 5 s of a bare /api/events reader).
 * --trace PREFIX: the last page load also runs under a Chromium trace and a CPU profile, summarized here.
 */
import { createServer, type Server } from "node:http";
import { performance } from "node:perf_hooks";
import { chromium } from "@playwright/test";
import { tracePage } from "../testing/probes/chromium-trace";
import { splitConnections, type BusConnectionsTopic } from "../lib/bus/connections-topic";
import { freePort, startNatsServer } from "../server/nats-server-process";
import { startApp } from "../testing/app/app-process";
import { saveScreenshot } from "../testing/app/screenshots";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SERVERS = arg("--servers", 10);
const PER_SERVER = arg("--per-server", 1_000);
const TOTAL = SERVERS * PER_SERVER;
/** The share of each server's connections whose counters move between two answers. */
const ACTIVE = arg("--active", 0.1);
const traceAt = process.argv.indexOf("--trace");
const TRACE_PREFIX = traceAt > 0 ? process.argv[traceAt + 1] : undefined;

/** Bytes the page's SSE stream carries in `ms`, its first frames (the whole state) counted apart. */
async function wireBytes(baseUrl: string, ms: number): Promise<{ first: number; then: number }> {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/api/events?topics=connection,bus_servers,bus_connections`, { signal: abort.signal });
  const reader = res.body!.getReader();
  const firstUntil = performance.now() + 1_000;
  const until = performance.now() + ms;
  let first = 0;
  let then = 0;
  try {
    while (performance.now() < until) {
      const { value, done } = await reader.read();
      if (done) break;
      if (performance.now() < firstUntil) first += value.byteLength;
      else then += value.byteLength;
    }
  } finally {
    abort.abort();
  }
  return { first, then };
}

/** One stand-in server's answers: enough VARZ to name it, PER_SERVER open connections (ACTIVE of them busy), none closed. */
function standIn(k: number): (path: string) => unknown {
  const name = `bench-${k}`;
  const start = new Date(Date.now() - 3_600_000).toISOString();
  const open = Array.from({ length: PER_SERVER }, (_, c) => ({
    cid: c + 1,
    ip: `10.${k}.${c >> 8}.${c & 255}`,
    port: 40_000 + c,
    start,
    rtt: `${(c % 50) / 10 + 0.1}ms`,
    pending_bytes: (c * 7919) % 65_536,
    in_msgs: c * 10,
    out_msgs: c * 20,
    in_bytes: c * 1_000,
    out_bytes: c * 2_000,
    subscriptions: c % 40,
    name: `client-${k}-${String(c).padStart(4, "0")}`,
    lang: c % 3 ? "go" : "nats.js",
    version: c % 3 ? "1.37.0" : "3.4.0",
    account: c % 5 ? "APP" : "BILLING",
  }));
  const busy = open.slice(0, Math.round(ACTIVE * PER_SERVER));
  return (path) => {
    const now = new Date().toISOString();
    if (path.startsWith("/varz"))
      return {
        server_id: `ID${k}`,
        server_name: name,
        version: "2.9.10",
        connections: PER_SERVER,
        subscriptions: 0,
        slow_consumers: 0,
        in_msgs: 0,
        out_msgs: 0,
        in_bytes: 0,
        out_bytes: 0,
        now,
      };
    if (path.startsWith("/connz?state=closed")) return { server_id: `ID${k}`, now, num_connections: 0, connections: [] };
    if (path.startsWith("/connz")) {
      for (const c of busy) {
        c.in_msgs += 10;
        c.out_msgs += 20;
        c.in_bytes += 1_000;
        c.out_bytes += 2_000;
      }
      return { server_id: `ID${k}`, now, num_connections: PER_SERVER, connections: open };
    }
    if (path.startsWith("/healthz")) return { status: "ok" };
    if (path.startsWith("/jsz")) return { memory: 0, storage: 0 };
    return {};
  };
}

const servers: Server[] = [];
const urls: string[] = [];
for (let k = 0; k < SERVERS; k++) {
  const answer = standIn(k);
  const server = createServer((req, res) => res.end(JSON.stringify(answer(req.url ?? "/"))));
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  servers.push(server);
  urls.push(`http://127.0.0.1:${port}`);
}

const nats = await startNatsServer({ systemAccount: false });
const app = await startApp({ NATS_URL: nats.url, BUSDECK_DEMO: "0", BUSDECK_MONITOR_URLS: urls.join(",") });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const snap = (await (await fetch(`${app.baseUrl}/api/topics/bus_connections`)).json()) as BusConnectionsTopic;
    const open = splitConnections(snap.items).open.length;
    if (open >= TOTAL) {
      console.log(`snapshot: ${open} open connections, ${(JSON.stringify(snap).length / 1024).toFixed(0)} KiB as JSON objects`);
      break;
    }
    if (Date.now() > deadline) throw new Error("the sampler never reported every connection");
    await new Promise((r) => setTimeout(r, 250));
  }
  const wire = await wireBytes(app.baseUrl, 6_000);
  console.log(`stream: first second ${(wire.first / 1024).toFixed(0)} KiB, then ${(wire.then / 1024 / 5).toFixed(0)} KiB/s`);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const figures: Record<"load" | "document" | "page" | "filter" | "clear", number[]> = {
    load: [],
    document: [],
    page: [],
    filter: [],
    clear: [],
  };
  const RUNS = 5;
  const lost: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    const load = async () => {
      const t = performance.now();
      await page.goto(`${app.baseUrl}/bus/connections`);
      const shown = await page.waitForFunction(
        (n) =>
          Number(document.querySelector('[data-testid="bus-connections-list-open"]')?.textContent?.replace(/\D/g, "") ?? 0) >= n &&
          document.querySelector('[data-testid="bus-connection-row"]') !== null &&
          window.performance.now(),
        TOTAL,
      );
      const loaded = performance.now() - t;
      // where the time went: the document's response (server rendering and transfer), then the page's own work
      const responseEnd = await page.evaluate(() => window.performance.getEntriesByType("navigation")[0]!.toJSON().responseEnd as number);
      figures.document.push(responseEnd);
      figures.page.push(((await shown.jsonValue()) as number) - responseEnd);
      return loaded;
    };
    // the last run traced: a warm one, like the median
    figures.load.push(run === RUNS - 1 && TRACE_PREFIX ? await tracePage(browser, page, TRACE_PREFIX, load) : await load());
    // In the page: one input event on the filter, then frames until the table shows the result (the "shown" note
    // says how many rows match when some are filtered out): what a keystroke costs the reader. null: not in 5 s.
    const keystroke = (value: string) =>
      page.evaluate(async (v) => {
        const input = document.querySelector<HTMLInputElement>('[data-testid="bus-connections-filter"]')!;
        const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
        const t0 = performance.now();
        setValue.call(input, v);
        input.dispatchEvent(new Event("input", { bubbles: true }));
        // inline, not a named helper: tsx would wrap a named function in a helper the page does not have
        let applied = false;
        while (!applied && performance.now() - t0 < 5_000) {
          await new Promise((r) => requestAnimationFrame(() => r(null)));
          applied = (document.querySelector('[data-testid="bus-connections-shown"]')?.textContent !== "") === (v !== "");
        }
        return applied ? performance.now() - t0 : null;
      }, value);
    for (const [kind, value] of [
      ["filter", `client-${run}-01`],
      ["clear", ""],
    ] as const) {
      const ms = await keystroke(value);
      if (ms === null) lost.push(`${kind} in run ${run}`);
      else figures[kind].push(ms);
    }
  }
  if (lost.length) console.log(`keystrokes the table did not show within 5 s: ${lost.join(", ")}`);
  await saveScreenshot(page, "bus-connections-10k");
  for (const [name, xs] of Object.entries(figures))
    if (xs.length === 0) console.log(`${name.padEnd(7)} none`);
    else console.log(`${name.padEnd(7)} median ${median(xs).toFixed(0)} ms  (runs: ${xs.map((x) => x.toFixed(0)).join(", ")})`);
  console.log(`targets: load ≤ 1000 ms, filter ≤ 100 ms, at ${TOTAL} connections on ${SERVERS} servers`);
} finally {
  await browser.close();
  await app.stop();
  await nats.stop();
  for (const s of servers) s.close();
}
