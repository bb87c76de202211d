import { expect, test } from "@playwright/test";
import { startNatsServer, type NatsServerHandle } from "../server/nats-server-process";
import { startApp, type AppHandle } from "../testing/app/app-process";
import { saveScreenshot } from "../testing/app/screenshots";

/**
 * Kill the nats-server under a running dashboard: the banner must appear, then go away by itself when
 * NATS returns, with data flowing again and the server still alive.
 */
test.describe("losing NATS", () => {
  let nats: NatsServerHandle;
  let app: AppHandle;

  test.beforeAll(async () => {
    nats = await startNatsServer();
    app = await startApp({ NATS_URL: nats.url, BUSDECK_DEMO: "1", BUSDECK_DEMO_SEED: "7" });
  });

  test.afterAll(async () => {
    await app?.stop();
    await nats?.stop();
  });

  test("banner appears on NATS loss and clears on recovery; data flows again", async ({ page }, testInfo) => {
    await page.goto(`${app.baseUrl}/streams`);
    const row = page.getByTestId("stream-row-routing-decisions");
    await expect(row).toBeVisible();
    await expect(page.getByTestId("connection-banner")).toHaveCount(0);

    await nats.crash();
    await expect(page.getByTestId("connection-banner")).toBeVisible({ timeout: 2_000 });
    await expect(page.getByTestId("connection-banner")).toContainText(/NATS reconnecting/);
    expect((await fetch(`${app.baseUrl}/api/health?ready=1`)).status).toBe(503);
    expect((await fetch(`${app.baseUrl}/api/health`)).status).toBe(200);
    await saveScreenshot(page, "fault-nats-down", testInfo);

    await nats.restart();
    await expect(page.getByTestId("connection-banner")).toHaveCount(0, { timeout: 20_000 });
    const messages = async () => Number((await row.getByTestId("stream-messages").textContent())?.replace(/[^\d]/g, ""));
    const before = await messages();
    await expect.poll(messages, { timeout: 20_000 }).toBeGreaterThan(before);
    expect((await fetch(`${app.baseUrl}/api/health?ready=1`)).status).toBe(200);
    const health = await (await fetch(`${app.baseUrl}/api/health`)).json();
    expect(health.nats).toMatchObject({ status: "connected", reconnects: 1 });
  });
});
