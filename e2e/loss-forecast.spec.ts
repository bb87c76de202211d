import { expect, test, type Page } from "@playwright/test";
import { nanos } from "@nats-io/nats-core";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connectToAppNats } from "./support/app-nats";
import { violations } from "./support/axe";
import { saveScreenshotsLightAndDark } from "../testing/app/screenshots";

/**
 * Two consumers nobody pulls: one on a stream that keeps messages an hour (its oldest is evicted within the hour),
 * one on a stream that keeps two messages and has taken five (three were evicted before it processed them).
 */
const AGED = "E2E_LOSS_AGED";
const CAPPED = "E2E_LOSS_CAPPED";

test.describe("loss forecast", () => {
  test.beforeAll(async ({ request }) => {
    const nc = await connectToAppNats(request);
    try {
      const jsm = await jetstreamManager(nc);
      const js = jetstream(nc);
      for (const name of [AGED, CAPPED]) await jsm.streams.delete(name).catch(() => undefined);
      await jsm.streams.add({ name: AGED, subjects: ["e2e.loss.aged.>"], max_age: nanos(3_600_000) });
      await jsm.consumers.add(AGED, { durable_name: "slow-reader", ack_policy: AckPolicy.Explicit });
      for (let i = 0; i < 3; i++) await js.publish("e2e.loss.aged.one", `aged ${i}`);
      await jsm.streams.add({ name: CAPPED, subjects: ["e2e.loss.capped.>"], max_msgs: 2 });
      await jsm.consumers.add(CAPPED, { durable_name: "lost-reader", ack_policy: AckPolicy.Explicit });
      for (let i = 0; i < 5; i++) await js.publish("e2e.loss.capped.one", `capped ${i}`);
    } finally {
      await nc.close();
    }
  });

  test.afterAll(async ({ request }) => {
    const nc = await connectToAppNats(request);
    const jsm = await jetstreamManager(nc);
    for (const name of [AGED, CAPPED]) await jsm.streams.delete(name).catch(() => undefined);
    await nc.close();
  });

  test.beforeEach(async ({ page }) => page.setViewportSize({ width: 1280, height: 800 }));

  test("the consumers table's Loss column: an eviction within the hour in amber, messages already lost in red", async ({
    page,
  }, testInfo) => {
    await page.goto("/consumers?q=reader");
    const ready = async () => {
      await expect(page.getByTestId("consumer-row-slow-reader").getByTestId("consumer-loss")).toHaveText(/^evicts in \d+m \d\ds$/, {
        timeout: 30_000,
      });
      await expect(page.getByTestId("consumer-row-lost-reader").getByTestId("consumer-loss")).toHaveText("3 lost");
    };
    await ready();
    const lost = page.getByTestId("consumer-row-lost-reader").getByTestId("consumer-loss");
    await expect(lost).toHaveAttribute("data-loss-kind", "already_evicted");
    await expect(lost).toHaveCSS("font-weight", "600");
    await expect(page.getByTestId("consumer-row-slow-reader").getByTestId("consumer-loss")).toHaveClass(/warn-text/);
    expect(await violations(page)).toEqual([]);
    await saveScreenshotsLightAndDark(page, "loss-forecast-table", testInfo, ready);
    expect(await violations(page)).toEqual([]);
  });

  test("the consumer page shows the forecast with its evidence and the inputs it came from", async ({ page }, testInfo) => {
    const ready = async (p: Page = page) => {
      const panel = p.getByTestId("consumer-loss-forecast");
      await expect(panel).toHaveAttribute("data-loss-kind", "already_evicted", { timeout: 30_000 });
      await expect(p.getByTestId("consumer-loss-evidence")).toContainText(
        "3 messages were already evicted before this consumer processed them: the stream's first message is #4, its ack floor #0",
      );
      await expect(panel).toContainText("max_msgs 2");
      await expect(panel).toContainText("#4–#5");
    };
    await page.goto(`/consumers/${CAPPED}/lost-reader`);
    await ready();
    expect(await violations(page)).toEqual([]);
    await saveScreenshotsLightAndDark(page, "loss-forecast-consumer-lost", testInfo, ready);
    expect(await violations(page)).toEqual([]);

    // the pair above left the page dark: the next pair starts light again
    await page.evaluate(() => localStorage.setItem("busdeck-theme", "light"));
    await page.goto(`/consumers/${AGED}/slow-reader`);
    await expect(page.locator("html")).not.toHaveAttribute("data-theme", "dark");
    await expect(page.getByTestId("consumer-loss-forecast")).toHaveAttribute("data-loss-kind", "evicts_in", { timeout: 30_000 });
    await expect(page.getByTestId("consumer-loss-evidence")).toContainText("oldest unprocessed message #1 is evicted in");
    await expect(page.getByTestId("consumer-loss-evidence")).toContainText("max_age 1h 00m");
    await saveScreenshotsLightAndDark(page, "loss-forecast-consumer-aged", testInfo, async () => {
      await expect(page.getByTestId("consumer-loss-forecast")).toHaveAttribute("data-loss-kind", "evicts_in", { timeout: 30_000 });
    });
  });
});
