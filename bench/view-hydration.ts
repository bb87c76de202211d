/**
 * When each view's content is hydrated, for two builds side by side. Prints figures; asserts nothing.
 *
 *   BUSDECK_DIST_DIR=.next-new npm run bench:view-hydration -- --baseline .next-main [--runs 8] [--views /streams,/outcomes,/failover]
 *
 * A local nats-server with the demo workload (run by the first busdeck), this build's busdeck and the baseline's
 * against it, and Debian's Chromium at 1280×800. Each run opens every view once in each build, alternating which
 * build goes first. "Hydrated" is the first frame in which the element that holds the page's content (the first
 * child of the layout's <main>) carries React's props: React sets them when it hydrates that element, so this is
 * when the view's own controls start to answer, whatever the view shows. The page's clock, from navigation start.
 * Built for the question "does a Suspense boundary around a view cost a second hydration pass" (bench:consumer-view
 * answers it for /consumers at 10,000 consumers); by default the views with a boundary until 2026-12-04.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { startApp } from "../testing/app/app-process";
import { startNatsServer } from "../server/nats-server-process";
import { p50 } from "../testing/probes/proc-stats";
import { WATCH_HYDRATION, hydratedAt } from "../testing/probes/hydration";

const { values } = parseArgs({
  options: {
    baseline: { type: "string" },
    runs: { type: "string", default: "8" },
    views: { type: "string", default: "/streams,/outcomes,/failover,/consumers/routing-decisions/analytics-consumer" },
  },
});
const DIST = process.env.BUSDECK_DIST_DIR ?? ".next";
const BASELINE = values.baseline;
if (!BASELINE || !existsSync(`${BASELINE}/BUILD_ID`)) throw new Error("--baseline DIR: a build to compare with");
if (!existsSync(`${DIST}/BUILD_ID`)) throw new Error(`BUSDECK_DIST_DIR=${DIST}: no build there`);
const RUNS = Number(values.runs);

const srv = await startNatsServer();
const builds = [
  { label: `this build (${DIST})`, dist: DIST, demo: "1" },
  { label: `baseline (${BASELINE})`, dist: BASELINE, demo: "0" },
];
const apps = [] as Awaited<ReturnType<typeof startApp>>[];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
});
try {
  for (const [k, b] of builds.entries())
    apps.push(
      await startApp({
        NATS_URL: srv.url,
        BUSDECK_DEMO: b.demo,
        BUSDECK_DIST_DIR: b.dist,
        BUSDECK_FLEET_KEY: `bench-hydration-${k}`,
        BUSDECK_FLEET_PREFIX: `hyd${k}`,
      }),
    );
  // the demo's streams, consumers and singletons in place, and a few samples taken
  await new Promise((r) => setTimeout(r, 15_000));
  const views = values.views.split(",");

  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(WATCH_HYDRATION);
  // one untimed visit of every view in each build: the first navigation after start is cold on both sides
  for (const app of apps) for (const v of views) await hydratedAt(page, app.baseUrl + v);

  const times = builds.map(() => new Map<string, number[]>(views.map((v) => [v, []])));
  for (let r = 0; r < RUNS; r++) {
    for (const v of views) {
      const order = r % 2 === 0 ? [0, 1] : [1, 0];
      for (const k of order) times[k]!.get(v)!.push(await hydratedAt(page, apps[k]!.baseUrl + v));
    }
  }
  for (const v of views) {
    const [a, b] = [p50(times[0]!.get(v)!), p50(times[1]!.get(v)!)];
    console.log(
      `${v}: navigation → content hydrated, median of ${RUNS}: ${builds[0]!.label} ${a.toFixed(0)} ms, ${builds[1]!.label} ${b.toFixed(0)} ms (${(a / b).toFixed(2)}×)`,
    );
    for (const [k, bd] of builds.entries())
      console.log(
        `    ${bd.label}: ${times[k]!.get(v)!
          .map((x) => x.toFixed(0))
          .join(", ")}`,
      );
  }
} finally {
  await browser.close();
  for (const app of apps) await app.stop();
  await srv.stop();
}
