import { execFileSync } from "node:child_process";
import { defineConfig } from "@playwright/test";
import { SERVE_SCRIPT } from "./testing/app/app-process";

/**
 * Port chosen once in the runner process and inherited by workers through the environment
 * (the config is evaluated again in each worker; a fresh random port there would point nowhere).
 */
process.env.E2E_PORT ??= execFileSync(process.execPath, [
  "-e",
  "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
])
  .toString()
  .trim();
const port = Number(process.env.E2E_PORT);
export const E2E_BASE_URL = `http://127.0.0.1:${port}`;
/** Overridable so several builds and runs can coexist on one machine without clobbering each other. */
const distDir = process.env.BUSDECK_DIST_DIR ?? ".next-e2e";
const outputRoot = process.env.E2E_OUTPUT ?? "test-results";

export default defineConfig({
  testDir: "e2e",
  outputDir: `${outputRoot}/e2e`,
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: `${outputRoot}/report` }]],
  use: {
    baseURL: E2E_BASE_URL,
    viewport: { width: 1280, height: 800 },
    timezoneId: "UTC",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
      ],
    },
    // Recorded for every test to keep the failing ones' (E2E_TRACE=1): a fifth of the suite's time, so off by default.
    trace: process.env.E2E_TRACE ? "retain-on-failure" : "off",
  },
  webServer: {
    // The embedded default, exactly as a newcomer runs it: no NATS_URL, demo on, fixed seed.
    command: `sh ${SERVE_SCRIPT} node_modules/next/dist/bin/next start -p ${port} -H 127.0.0.1`,
    url: `${E2E_BASE_URL}/api/health`,
    timeout: 90_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: { BUSDECK_DIST_DIR: distDir, BUSDECK_DEMO_SEED: "42", BUSDECK_DEMO_RATE: "2", NATS_URL: "" },
  },
});
