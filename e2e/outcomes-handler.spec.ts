import { expect, test, type APIRequestContext } from "@playwright/test";
import type { NatsConnection } from "@nats-io/nats-core";
import { connectToAppNats } from "./support/app-nats";
import { violations } from "./support/axe";
import { publishOutcomes } from "./support/outcomes";
import { readFile } from "node:fs/promises";
import { saveScreenshotsLightAndDark } from "../testing/app/screenshots";
import { readPngText } from "../lib/review/export/png-text";

const MINUTE = 60_000;

async function waitForHistoryStream(request: APIRequestContext) {
  await expect
    .poll(async () => (await (await request.get("/api/topics/outcome_stats")).json())?.history?.mode, { timeout: 30_000 })
    .toBe("stream");
}

/**
 * A handler's page, reached from the handler table with the range kept: 60 timed outcomes emitted every 5 minutes
 * over the last ~5 hours (the first 30 at 10 ms, the rest at 100 ms) and 6 errored ones now. Over the last 6 h the
 * latency chart has one bucket per outcome across the whole range (not the last hour's 60 minutes).
 */
test.describe("reflex outcomes: the handler page", () => {
  let nc: NatsConnection;
  const handler = `e2e_hp_${Date.now().toString(36)}`;

  test.beforeAll(async ({ request }) => {
    nc = await connectToAppNats(request);
    await waitForHistoryStream(request);
  });
  test.afterAll(async () => {
    await nc?.close();
  });

  test("the handler table links to the handler's page, which shows its counts and its latency over the whole range, and freezes", async ({
    page,
    request,
    browser,
  }, testInfo) => {
    test.setTimeout(120_000);
    const now = Date.now();
    await publishOutcomes(
      nc,
      handler,
      60,
      { kind: "logged" },
      {
        emittedAt: (i) => new Date(now - (59 - i) * 5 * MINUTE),
        durationMs: (i) => (i < 30 ? 10 : 100),
      },
    );
    await publishOutcomes(nc, handler, 6, { kind: "errored", exception: (i) => `KeyError: 'peer-${i}'` });

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto("/outcomes?range=6h");
    const link = page.getByTestId(`handler-row-${handler}`).getByTestId("handler-link");
    await expect(link).toBeVisible({ timeout: 20_000 });
    await link.click();
    await expect(page).toHaveURL(new RegExp(`/outcomes/handlers/${handler}\\?range=6h$`));

    const ready = async () => {
      await expect(page.getByTestId("handler-total")).toHaveText("66", { timeout: 20_000 });
      await expect(page.getByTestId("handler-errored")).toHaveText("6");
      await expect(page.getByTestId("handler-p50")).toHaveText(/^(9\.9|10)ms$/);
      await expect(page.getByTestId("handler-p95")).toHaveText(/^(99|100|101)ms$/);
      const chart = page.getByTestId("handler-latency-chart");
      // The whole 6 h in at most 120 buckets of whole minutes, each of the 60 timed outcomes in its own bucket.
      await expect(chart).toHaveAttribute("data-bucket-ms", /^(180000|300000)$/);
      expect(Number(await chart.getAttribute("data-buckets"))).toBeLessThanOrEqual(120);
      await expect(chart.locator(".recharts-line-dots circle")).toHaveCount(60 * 3);
      await expect(page.getByTestId("handler-range")).toContainText("UTC");
    };
    await ready();
    // Its error group links to the group's page; its feed holds only its outcomes.
    await expect(page.getByTestId("error-group-link")).toHaveAttribute("href", new RegExp(`^/outcomes/groups/${handler}/[0-9a-f]{16}`));
    await expect(page.getByTestId("outcome-row").first()).toContainText(handler);
    expect(await violations(page)).toEqual([]);
    // The latency panel exports as a PNG whose caption names the view, the handler and the range.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("png-handler-latency").click()]);
    const caption = readPngText(await readFile((await download.path())!)).Description?.split("\n") ?? [];
    expect(caption[0]).toBe(`busdeck · Handler — Latency · handler ${handler}`);
    expect(caption[1]).toMatch(/range: .*6h/);
    // The pointer off the charts: the click that opened the page left it over the latency chart (a tooltip line).
    await page.mouse.move(0, 0);
    await saveScreenshotsLightAndDark(page, "outcomes-handler-page", testInfo, ready);

    // Frozen, it reopens in a fresh browser with the same figures.
    await page.getByTestId("freeze-button").click();
    const permalink = page.getByTestId("freeze-permalink");
    await expect(permalink).toHaveAttribute("href", /^\/s\/[a-z2-7]{16}$/);
    const fresh = await browser.newContext();
    try {
      const frozen = await fresh.newPage();
      await frozen.goto((await permalink.getAttribute("href"))!);
      await expect(frozen.getByTestId("frozen-banner")).toContainText(`Handler ${handler}`);
      const view = frozen.getByTestId("frozen-view");
      await expect(view.getByTestId("handler-total")).toHaveText("66");
      await expect(view.getByTestId("handler-latency-chart").locator(".recharts-line-dots circle")).toHaveCount(60 * 3);
    } finally {
      await fresh.close();
    }

    // A handler nothing is known of is a missing resource; a bad range parameter a 400 naming it.
    await page.goto(`/outcomes/handlers/${handler}_nobody`);
    await expect(page.getByTestId("handler-missing")).toBeVisible();
    const bad = await request.get(`/api/outcomes/handlers/${handler}?from=yesterday`);
    expect(bad.status()).toBe(400);
    expect((await bad.json()).reason).toMatch(/^from: /);
  });
});
