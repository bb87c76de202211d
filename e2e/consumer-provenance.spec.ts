import { expect, request as apiRequest, test, type Page } from "@playwright/test";
import { AckPolicy, jetstreamManager, StorageType } from "@nats-io/jetstream";
import { connectToAppNats } from "./support/app-nats";
import { violations } from "./support/axe";
import { pidListeningOn } from "./support/pids";
import { startApp, type AppHandle } from "../testing/app/app-process";
import { saveScreenshotsLightAndDark } from "../testing/app/screenshots";

/**
 * A consumer replicated once on a 3-node cluster whose node is killed: the consumer list then reports it missing,
 * and busdeck shows it unknown with its last good reading, never as 0 lag.
 */
const STREAM = "E2E_PROVENANCE";
const CONSUMER = "lone-reader";
const PUBLISHED = 5;

test.describe("consumer provenance on a 3-node cluster (BUSDECK_CLUSTER=3)", () => {
  let app: AppHandle;
  let leader: string;
  test.beforeAll(async () => {
    app = await startApp({ NATS_URL: "", BUSDECK_CLUSTER: "3" });
    const api = await apiRequest.newContext({ baseURL: app.baseUrl });
    const nc = await connectToAppNats(api);
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: STREAM, subjects: ["e2e.provenance.>"], num_replicas: 3, storage: StorageType.File });
      await jsm.consumers.add(STREAM, { durable_name: CONSUMER, ack_policy: AckPolicy.Explicit, num_replicas: 1 });
      for (let i = 0; i < PUBLISHED; i++) await nc.request("e2e.provenance.created", new TextEncoder().encode(String(i)));
      leader = (await jsm.consumers.info(STREAM, CONSUMER)).cluster!.leader!;
    } finally {
      await nc.close();
      await api.dispose();
    }
  });
  // eslint-disable-next-line no-empty-pattern
  test.afterEach(async ({}, testInfo) => {
    if (testInfo.status !== testInfo.expectedStatus)
      await testInfo.attach("busdeck-output", { body: app.output().slice(-20_000), contentType: "text/plain" });
  });
  test.afterAll(async () => {
    await app?.stop();
  });
  test.beforeEach(async ({ page }) => page.setViewportSize({ width: 1280, height: 800 }));

  test("a consumer whose leader is down reads unknown since a UTC time, greyed with its last reading, and never 0", async ({
    page,
  }, testInfo) => {
    test.setTimeout(180_000);
    const row = page.getByTestId(`consumer-row-${CONSUMER}`);
    await page.goto(`${app.baseUrl}/consumers/${STREAM}/${CONSUMER}`);
    await expect(page.getByTestId("consumer-provenance")).toContainText(`leader ${leader}`, { timeout: 30_000 });
    await expect(page.getByTestId("consumer-provenance")).toContainText(/sampled \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · \d+ s old/);

    const pid = pidListeningOn(Number(leader.replace("busdeck-", "")));
    expect(pid).not.toBeNull();
    process.kill(pid!, "SIGKILL");

    const tableReady = async (p: Page = page) => {
      await expect(p.getByTestId(`consumer-row-${CONSUMER}`).getByTestId("consumer-status")).toHaveText("UNKNOWN", { timeout: 60_000 });
      await expect(p.getByTestId(`consumer-row-${CONSUMER}`).getByTestId("consumer-unknown-since")).toHaveText(
        /unknown since \d\d:\d\d:\d\dZ/,
      );
    };
    await page.goto(`${app.baseUrl}/consumers?q=${CONSUMER}`);
    await tableReady();
    await expect(row.getByTestId("consumer-lag")).toHaveText(String(PUBLISHED)); // the last reading, not 0
    await expect(row).toHaveAttribute("data-unknown-since", /^\d{4}-/);
    expect(await violations(page)).toEqual([]);
    await saveScreenshotsLightAndDark(page, "consumer-provenance-table", testInfo, tableReady);
    expect(await violations(page)).toEqual([]);

    await page.evaluate(() => localStorage.setItem("busdeck-theme", "light"));
    const detailReady = async () => {
      await expect(page.getByTestId("consumer-unknown-since")).toHaveText(/unknown since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/, {
        timeout: 60_000,
      });
      await expect(page.getByTestId("consumer-provenance")).toContainText(`leader ${leader}`);
      await expect(page.getByTestId("detail-lag-msgs")).toHaveText(String(PUBLISHED));
      // 5 messages pending are not "caught up", whether or not the consumer was judged before its leader went down
      await expect(page.getByTestId("detail-lag-seconds")).not.toContainText("caught up");
      // the verdict is unknown too, not the last reading's (it said "OK — 1 sample of 5 needed")
      await expect(page.getByTestId("consumer-verdict")).toContainText(/^UNKNOWN — not read since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    };
    await page.goto(`${app.baseUrl}/consumers/${STREAM}/${CONSUMER}`);
    await detailReady();
    expect(await violations(page)).toEqual([]);
    await saveScreenshotsLightAndDark(page, "consumer-provenance-detail", testInfo, detailReady);
    expect(await violations(page)).toEqual([]);
  });
});
