import { expect, test } from "@playwright/test";
import { saveScreenshotsLightAndDark } from "../testing/app/screenshots";
import { startApp, type AppHandle } from "../testing/app/app-process";
import { startCaptureServer, type CaptureServer } from "../testing/alertmanager/capture-server";
import { violations } from "./support/axe";

/** A dashboard on the demo that alerts a JSON webhook (a capture server standing in for the receiver). */
test.describe("alerts", () => {
  let capture: CaptureServer;
  let app: AppHandle;
  test.beforeAll(async () => {
    capture = await startCaptureServer();
    app = await startApp({
      NATS_URL: "",
      BUSDECK_DEMO_SEED: "42",
      BUSDECK_DEMO_RATE: "2",
      BUSDECK_ALERT_WEBHOOK_URL: `${capture.url}/hooks/secret-token`,
      BUSDECK_PUBLIC_URL: "https://busdeck.example.com",
    });
  });
  test.afterAll(async () => {
    await app?.stop();
    await capture?.stop();
  });

  test("the page lists the target, the demo's findings delivered, and a silence an operator sets and expires", async ({
    page,
  }, testInfo) => {
    // The demo needs a few samples to open its first findings, and axe runs twice (light and dark).
    test.slow();
    await page.goto(`${app.baseUrl}/alerts`);
    const target = page.getByTestId("alert-target");
    await expect(target).toHaveAttribute("data-kind", "webhook");
    // The webhook's path holds its secret: the page shows the host alone.
    await expect(target).toContainText(`${capture.url}/…`);
    await expect(target).not.toContainText("secret-token");

    const delivered = page.getByTestId("delivery-row").and(page.locator('[data-result="delivered"]'));
    await expect(delivered.first()).toBeVisible({ timeout: 45_000 });
    await expect(delivered.first()).toContainText("webhook");
    // Each delivery links to the page that explains its finding.
    await expect(delivered.first().getByTestId("delivery-finding")).toHaveAttribute("href", /^\/(consumers|streams|failover|outcomes)/);
    expect(capture.bodies("/hooks/secret-token").length).toBeGreaterThan(0);

    await page.getByTestId("silence-target").selectOption("rule:lock_flapping");
    await page.getByTestId("silence-duration").selectOption({ label: "4 h" });
    await page.getByTestId("silence-reason").fill("planned failover drill");
    await page.getByTestId("silence-add").click();
    const silence = page.getByTestId("silence-row").filter({ hasText: "planned failover drill" });
    await expect(silence).toHaveAttribute("data-state", "active");
    await expect(silence).toContainText("rule lock_flapping");
    await expect(silence).toContainText(/active · 3h 5\dm left/);
    await expect(silence).toContainText("UTC");

    expect(await violations(page)).toEqual([]);
    await saveScreenshotsLightAndDark(page, "alerts", testInfo, async () => {
      await expect(silence).toBeVisible();
      expect(await violations(page)).toEqual([]);
    });

    await silence.getByTestId("silence-expire").click();
    await expect(silence).toHaveAttribute("data-state", "expired");
    await expect(silence.getByTestId("silence-expire")).toHaveCount(0);
  });
});
