import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import type { NatsConnection } from "@nats-io/nats-core";
import { connectToAppNats } from "./support/app-nats";
import { violations } from "./support/axe";
import { publishOutcomes } from "./support/outcomes";
import { saveScreenshotsLightAndDark } from "../testing/app/screenshots";

const MINUTE = 60_000;

async function waitForHistoryStream(request: APIRequestContext) {
  await expect
    .poll(async () => (await (await request.get("/api/topics/outcome_stats")).json())?.history?.mode, { timeout: 30_000 })
    .toBe("stream");
}

/**
 * Handler latency and silence in the handler table: one handler reports durations of 1…100 ms (p50 50, p95 95,
 * p99 99 exactly; the sketch answers within 1 %), another ran once a minute for 20 minutes and stopped 21 minutes
 * ago (emission times in the past), so it is silent: past max(5 min, 10 × its 1-minute interval).
 */
test.describe("reflex outcomes: handler latency and silent handlers", () => {
  let nc: NatsConnection;
  const tag = Date.now().toString(36);
  const timed = `e2e_lat_${tag}`;
  const stopped = `e2e_silent_${tag}`;

  test.beforeAll(async ({ request }) => {
    nc = await connectToAppNats(request);
    await waitForHistoryStream(request);
  });
  test.afterAll(async () => {
    await nc?.close();
  });

  test("the handler table shows p50/p95/p99 per handler and a silent handler with its last outcome; the handler's latency chart", async ({
    page,
  }, testInfo) => {
    test.setTimeout(180_000);
    await publishOutcomes(nc, timed, 100, { kind: "logged" }, { durationMs: (i) => i + 1 });
    const lastAt = Date.now() - 21 * MINUTE;
    await publishOutcomes(nc, stopped, 20, { kind: "logged" }, { emittedAt: (i) => new Date(lastAt - (19 - i) * MINUTE) });

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto("/outcomes");
    const tableReady = async (p: Page = page) => {
      await expect(p.getByTestId(`handler-row-${timed}`).getByTestId("handler-latency")).toHaveText(
        /^(49|50|51) \/ 9[4-6] \/ (98|99|100)ms$/,
        {
          timeout: 20_000,
        },
      );
      const silentRow = p.getByTestId(`handler-row-${stopped}`);
      await expect(silentRow.getByTestId("handler-silent-flag")).toHaveText("silent");
      const detail = silentRow.getByTestId("handler-detail");
      await expect(detail).toHaveText(`silent since ${new Date(lastAt).toISOString().slice(11, 19)}Z · usual 1.0/min`);
      await expect(detail).toHaveAttribute(
        "title",
        `silent since ${new Date(lastAt).toISOString().slice(0, 19).replace("T", " ")} UTC, usual rate 1.0/min`,
      );
      // No durations: latency unknown, not zero.
      await expect(silentRow.getByTestId("handler-latency")).toHaveText("—");
    };
    await tableReady();
    await expect(page.getByTestId(`handler-row-${timed}`).getByTestId("handler-silent-flag")).toHaveCount(0);
    expect(await violations(page)).toEqual([]);
    await saveScreenshotsLightAndDark(page, "outcomes-handler-latency-silent", testInfo, () => tableReady());
    await page.evaluate(() => localStorage.setItem("busdeck-theme", "light"));

    // The handler's page (the view filtered to it) charts its latency per minute.
    await page.goto(`/outcomes?handler=${timed}`);
    const chartReady = async () => {
      await expect(page.getByTestId("handler-latency-chart")).toHaveAttribute("data-last-p95", /^9[4-6](\.\d+)?$/, { timeout: 20_000 });
      // p50, p95 and p99 of the one minute with durations, each drawn as a dot.
      await expect(page.getByTestId("handler-latency-chart").locator(".recharts-line-dots circle")).toHaveCount(3);
    };
    await chartReady();
    expect(await violations(page)).toEqual([]);
    await saveScreenshotsLightAndDark(page, "outcomes-handler-latency-chart", testInfo, chartReady);
    await page.evaluate(() => localStorage.setItem("busdeck-theme", "light"));
  });
});
