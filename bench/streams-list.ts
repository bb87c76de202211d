/**
 * Streams list at scale: 1,000 streams on a local nats-server, busdeck (the build in $BUSDECK_DIST_DIR) pointed
 * at it, and Chromium timing how long /streams takes to show all of them, plus sort and search round trips.
 *
 *   BUSDECK_DIST_DIR=.next-streams npm run bench:streams-list -- [--streams 1000]
 * Needs a production build first (`BUSDECK_DIST_DIR=… npx next build`).
 */
import { performance } from "node:perf_hooks";
import { chromium } from "@playwright/test";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { mapLimit } from "../server/concurrency";
import { startNatsServer } from "../server/nats-server-process";
import { startApp } from "../testing/app/app-process";

const i = process.argv.indexOf("--streams");
const N = i > 0 ? Number(process.argv[i + 1]) : 1_000;

const server = await startNatsServer({});
const nc = await connect({ servers: server.url });
const app = await (async () => {
  const jsm = await jetstreamManager(nc);
  const t0 = performance.now();
  await mapLimit(
    Array.from({ length: N }, (_, k) => k),
    16,
    (k) =>
      jsm.streams.add({
        name: `bench-${String(k).padStart(4, "0")}`,
        subjects: [`bench.${k}.>`],
        max_bytes: 512 * 1024 /* small: the server reserves max_bytes per stream up front */,
        max_age: 3_600_000_000_000,
      }),
  );
  for (let k = 0; k < N; k += 10) nc.publish(`bench.${k}.x`, `{"k":${k}}`);
  await nc.flush();
  console.log(`created ${N} streams in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return startApp({ NATS_URL: server.url, BUSDECK_DEMO: "0" });
})();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => m.type() === "error" && pageErrors.push(m.text()));
  // Let the first sample of all streams land in the hub, so the figure is the page's, not the sampler's.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const snap = (await (await fetch(`${app.baseUrl}/api/topics/streams`)).json()) as { streams: unknown[]; duration_ms: number };
    if (snap.streams.length >= N) {
      console.log(
        `sampler: ${N} streams sampled in ${snap.duration_ms} ms; snapshot ${(JSON.stringify(snap).length / 1024).toFixed(0)} KiB`,
      );
      break;
    }
    if (Date.now() > deadline) throw new Error("sampler never reported every stream");
    await new Promise((r) => setTimeout(r, 250));
  }
  process.on("exit", () => pageErrors.length && console.log(`page errors: ${pageErrors.slice(0, 5).join(" | ")}`));
  const figures: Record<string, number[]> = { load: [], sort: [], search: [] };
  for (let run = 0; run < 5; run++) {
    let t = performance.now();
    await page.goto(`${app.baseUrl}/streams`);
    // busdeck may add streams of its own (e.g. its failover history): at least N.
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="stream-count"]')?.textContent?.replace(/\D/g, "") ?? 0) >= n,
      N,
    );
    await page.getByTestId("stream-row-bench-0000").waitFor();
    figures.load!.push(performance.now() - t);
    t = performance.now();
    await page.getByRole("columnheader", { name: /Messages/ }).click();
    await page.waitForURL(/sort=messages/);
    await page.locator("tbody tr[data-testid^=stream-row-]").first().waitFor();
    figures.sort!.push(performance.now() - t);
    t = performance.now();
    await page.getByTestId("streams-search").fill(`bench-0${String(run).padStart(3, "0")}`);
    await page.getByTestId(`stream-row-bench-0${String(run).padStart(3, "0")}`).waitFor();
    figures.search!.push(performance.now() - t);
  }
  const rendered = await page
    .goto(`${app.baseUrl}/streams`)
    .then(() => page.getByTestId("stream-row-bench-0000").waitFor())
    .then(() => page.locator("tbody tr[data-testid^=stream-row-]").count());
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(0);
  console.log(
    `/streams with ${N} streams, visible (navigation → all counted, first row drawn): median ${med(figures.load!)} ms, max ${Math.max(...figures.load!).toFixed(0)} ms`,
  );
  console.log(
    `sort by messages (click → URL → rows): median ${med(figures.sort!)} ms; search (type → row): median ${med(figures.search!)} ms`,
  );
  console.log(`rows in the DOM at once (virtualized): ${rendered} of ${N}`);
} catch (err) {
  const pages = browser.contexts().flatMap((c) => c.pages());
  if (pages[0]) await pages[0].screenshot({ path: "/tmp/streams-list-bench-failure.png" });
  console.log(
    `page text: ${(
      await pages[0]
        ?.locator("main")
        .innerText()
        .catch(() => "")
    )?.slice(0, 400)}`,
  );
  throw err;
} finally {
  await browser.close();
  await app.stop();
  await nc.close();
  await server.stop();
}
