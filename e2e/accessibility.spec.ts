import { expect, test, type Page } from "@playwright/test";
import { saveScreenshot } from "../testing/app/screenshots";
import { violations } from "./support/axe";

/** Every page on-call lands on, each once its data has arrived. */
const PAGES: { path: string; ready: (page: Page) => Promise<void> }[] = [
  { path: "/", ready: (p) => expect(p.getByTestId("nats-status")).toHaveText(/connected/i) },
  { path: "/streams", ready: (p) => expect(p.getByTestId("stream-row-routing-decisions")).toBeVisible() },
  { path: "/streams/routing-decisions", ready: (p) => expect(p.getByTestId("stream-title")).toBeVisible() },
  {
    path: "/streams/routing-decisions/messages",
    ready: (p) => expect(p.getByTestId("message-table").locator("tbody tr").first()).toBeVisible(),
  },
  { path: "/streams/routing-decisions/messages/1", ready: (p) => expect(p.getByTestId("message-crumbs")).toBeVisible() },
  { path: "/consumers", ready: (p) => expect(p.getByTestId("consumers-table")).toBeVisible() },
  {
    path: "/consumers/routing-decisions/analytics-consumer",
    ready: (p) => expect(p.getByTestId("consumer-title").or(p.locator("h1")).first()).toBeVisible(),
  },
  { path: "/outcomes", ready: (p) => expect(p.locator("h1")).toBeVisible() },
  { path: "/failover", ready: (p) => expect(p.locator("h1")).toBeVisible() },
  { path: "/snapshots", ready: (p) => expect(p.locator("h1")).toBeVisible() },
  { path: "/annotations", ready: (p) => expect(p.locator("h1")).toBeVisible() },
  { path: "/bus/servers", ready: (p) => expect(p.getByTestId("bus-server-row").first()).toHaveAttribute("data-state", "up") },
  { path: "/bus/connections", ready: (p) => expect(p.getByTestId("bus-connection-row").first()).toBeVisible() },
  { path: "/bus/kv", ready: (p) => expect(p.locator('[data-testid=kv-bucket-row][data-bucket="locks"]')).toBeVisible() },
  { path: "/bus/kv/locks", ready: (p) => expect(p.getByTestId("kv-key-row").first()).toBeVisible() },
  { path: "/bus/kv/locks/dedup", ready: (p) => expect(p.getByTestId("kv-revision-row").first()).toBeVisible() },
  { path: "/alerts", ready: (p) => expect(p.getByTestId("silences-table")).toBeVisible() },
];

for (const theme of ["light", "dark"] as const) {
  test.describe(`accessibility, ${theme} theme`, () => {
    test.beforeEach(async ({ page }) => {
      await page.addInitScript((t) => localStorage.setItem("busdeck-theme", t), theme);
    });
    for (const { path, ready } of PAGES) {
      test(`${path} passes axe's WCAG 2 A/AA rules`, async ({ page }, testInfo) => {
        await page.goto(path);
        await expect(page.locator("html")).toHaveAttribute("data-theme", theme);
        await ready(page);
        const found = await violations(page);
        await saveScreenshot(page, `page${path === "/" ? "-overview" : path.replaceAll("/", "-")}-${theme}`, testInfo);
        expect(found).toEqual([]);
      });
    }
  });
}
