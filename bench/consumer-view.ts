/**
 * Consumer lag view at scale (issue 7). Prints figures; asserts nothing.
 *
 *   BUSDECK_DIST_DIR=.next-consumers npx tsx bench/consumer-view.ts [--streams 100] [--consumers 100]
 *
 * A local nats-server with STREAMS × CONSUMERS consumers, a busdeck server from an existing build against it,
 * and Debian's Chromium at 1280×800: time from navigation to the table showing all consumers, then the time
 * from typing a name filter to the table showing the filtered rows. The page is virtualized, so the DOM
 * holds only the visible rows.
 */
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { connect } from "@nats-io/transport-node";
import { AckPolicy, jetstreamManager } from "@nats-io/jetstream";
import { startApp } from "../e2e/support/app-process";
import { mapLimit } from "../server/concurrency";
import { startNatsServer } from "../server/nats-server-process";

const { values } = parseArgs({ options: { streams: { type: "string", default: "100" }, consumers: { type: "string", default: "100" } } });
const STREAMS = Number(values.streams);
const PER_STREAM = Number(values.consumers);
const TOTAL = STREAMS * PER_STREAM;

const srv = await startNatsServer();
const nc = await connect({ servers: srv.url });
let app: Awaited<ReturnType<typeof startApp>> | undefined;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"] });
try {
  const jsm = await jetstreamManager(nc);
  await mapLimit(Array.from({ length: STREAMS }, (_, i) => `view-${String(i).padStart(3, "0")}`), 8, async (name) => {
    await jsm.streams.add({ name, subjects: [`${name}.>`] });
    for (let c = 0; c < PER_STREAM; c++) await jsm.consumers.add(name, { durable_name: `c${String(c).padStart(3, "0")}`, ack_policy: AckPolicy.Explicit });
  });
  app = await startApp({ NATS_URL: srv.url, BUSDECK_DEMO: "0" });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const total = new Intl.NumberFormat("en-US").format(TOTAL);
  // let busdeck take its first samples so the page measures rendering, not the sampler's start
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    const snap = await (await fetch(`${app.baseUrl}/api/topics/consumers`)).json();
    if (snap?.consumers?.length === TOTAL) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const t0 = Date.now();
  await page.goto(`${app.baseUrl}/consumers`);
  await page.getByTestId("consumer-count").filter({ hasText: `${total} of ${total}` }).waitFor({ timeout: 60_000 });
  await page.getByTestId("consumer-row-c000").first().waitFor();
  const renderMs = Date.now() - t0;
  const domRows = await page.locator("[data-testid^=consumer-row-]").count();

  // filter: from the keystroke to the filtered table, measured inside the page
  const filterMs = await page.evaluate(async () => {
    const input = document.querySelector<HTMLInputElement>("[data-testid=consumer-filter]")!;
    const count = document.querySelector("[data-testid=consumer-count]")!;
    const before = count.textContent;
    const t = performance.now();
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
    setter.call(input, "c042");
    input.dispatchEvent(new Event("input", { bubbles: true }));
    while (count.textContent === before) await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t;
  });
  const filtered = await page.getByTestId("consumer-count").textContent();
  console.log(`consumers: ${total}; DOM rows rendered (virtualized): ${domRows}`);
  console.log(`navigation → full table: ${renderMs} ms (target ≤ 1000 ms)`);
  console.log(`name filter → filtered table: ${filterMs.toFixed(0)} ms (target ≤ 100 ms), showing ${filtered}`);
  console.log(`load average: ${(await import("node:os")).loadavg().map((x) => x.toFixed(1)).join(" ")}`);
} finally {
  await browser.close();
  await app?.stop();
  await nc.close();
  await srv.stop();
}
