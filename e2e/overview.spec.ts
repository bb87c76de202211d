import { expect, test, type APIRequestContext } from "@playwright/test";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type { Finding } from "../lib/findings/finding";
import { SEVERITY_RANK } from "../lib/findings/finding";
import { startApp, type AppHandle } from "../testing/app/app-process";
import { saveScreenshotsLightAndDark } from "../testing/app/screenshots";
import { violations } from "./support/axe";

/** The open findings /api/findings serves, once there is at least one (the demo's problems take a few samples to judge). */
async function openFindings(request: APIRequestContext, baseUrl = ""): Promise<Finding[]> {
  let open: Finding[] = [];
  await expect
    .poll(async () => (open = ((await (await request.get(`${baseUrl}/api/findings`)).json()) as { findings: Finding[] }).findings).length, {
      timeout: 60_000,
    })
    .toBeGreaterThan(0);
  return open;
}

test.describe("overview on the embedded default", () => {
  test("lists the demo's open findings worst first with their evidence, and a finding links through to its page", async ({
    page,
    request,
  }, testInfo) => {
    test.setTimeout(120_000); // the demo's problems take samples to judge, then axe runs in both themes
    const open = await openFindings(request);
    await page.goto("/");
    const rows = page.getByTestId("finding-row");
    await expect(rows.first()).toBeVisible();
    await expect(page.getByTestId("findings-status")).toHaveText(/\d+ open findings? · worst (critical|warning|info)/);

    // Within each area the severities read worst first, and each row carries its evidence and since (UTC).
    for (const area of await page.locator("[data-testid^=findings-area-]").all()) {
      const severities = await area.getByTestId("finding-severity").allTextContents();
      const ranks = severities.map((s) => SEVERITY_RANK[s.toLowerCase() as keyof typeof SEVERITY_RANK]);
      expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    }
    const first = open[0]!;
    const row = page.locator(`[data-finding-id="${first.id}"]`);
    // the evidence is live (its figures move with each sample): its verdict and rule, as the API gave them
    const verdict = first.evidence.split(":")[0]!;
    await expect(row.getByTestId("finding-evidence")).toContainText(`${verdict}:`);
    await expect(row.getByTestId("finding-since")).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);

    expect(await violations(page), "light theme").toEqual([]);
    await saveScreenshotsLightAndDark(page, "overview-findings", testInfo, () => expect(rows.first()).toBeVisible());
    expect(await violations(page), "dark theme").toEqual([]);

    // Keyboard: the finding's link is reachable and opens the page that explains it.
    const link = page.locator(`[data-finding-id="${first.id}"]`).getByTestId("finding-link");
    await link.focus();
    await expect(link).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL((url) => url.pathname === first.link.split("?")[0]);
  });

  test("the first screen, with its findings, comes in the server's HTML", async ({ request }) => {
    const open = await openFindings(request);
    const html = await (await request.get("/")).text();
    expect(html).toContain('data-testid="finding-row"');
    expect(html).toContain(`data-finding-id="${open.at(-1)!.id}"`);
  });
});

test.describe("overview with nothing wrong", () => {
  let app: AppHandle;
  test.beforeAll(async () => {
    // The embedded server without the demo: no stream, so no finding; a short sample window judges a stall quickly.
    app = await startApp({ NATS_URL: "", BUSDECK_DEMO: "0", BUSDECK_SAMPLE_INTERVAL_MS: "200", BUSDECK_CONSUMER_WINDOW: "3" });
  });
  test.afterAll(async () => {
    await app?.stop();
  });

  test("says so plainly with the views' health, then shows a consumer that stalls as it happens", async ({ page, request }, testInfo) => {
    // busdeck's own sampler lock is a singleton the failover view shows, but never one the overview counts
    await page.goto(`${app.baseUrl}/failover`);
    await expect(page.getByTestId("lock-card-busdeck-sampler")).toBeVisible();
    await page.goto(`${app.baseUrl}/`);
    await expect(page.getByTestId("overview-locks")).toHaveText("0");
    const clear = page.getByTestId("overview-all-clear");
    await expect(clear).toHaveText(/No open findings · evaluated (just now|\d+s ago)/);
    await expect(page.getByTestId("overview-streams")).toHaveText("0");
    await expect(page.getByTestId("finding-row")).toHaveCount(0);
    expect(await violations(page), "light theme").toEqual([]);
    await saveScreenshotsLightAndDark(page, "overview-all-clear", testInfo, () => expect(clear).toBeVisible());
    expect(await violations(page), "dark theme").toEqual([]);

    // A consumer that never acknowledges: its finding opens on the page already open, without a reload.
    const server = ((await (await request.get(`${app.baseUrl}/api/health`)).json()) as { nats: { server: string } }).nats.server;
    const nc = await connect({ servers: server.replace(/^nats:\/\//, "") });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: "ORDERS", subjects: ["orders.>"] });
      await jsm.consumers.add("ORDERS", { durable_name: "billing", ack_policy: AckPolicy.Explicit });
      const js = jetstream(nc);
      for (let i = 0; i < 5; i++) await js.publish("orders.created", JSON.stringify({ i }));
      const row = page.locator('[data-finding-id="consumer_health:consumer:ORDERS/billing"]');
      await expect(row).toBeVisible({ timeout: 30_000 });
      await expect(row.getByTestId("finding-severity")).toHaveText("critical");
      await expect(row.getByTestId("finding-evidence")).toHaveText(/^STALL/);
      await expect(page.getByTestId("findings-area-consumers")).toBeVisible();
      await expect(clear).toHaveCount(0);
      await expect(page.getByTestId("findings-timeline-totals")).toHaveText(/· 1 opened · 0 resolved/);

      // It drains: the finding resolves, the page says so again, and the resolved one is listed (from the keyboard).
      const messages = await (await js.consumers.get("ORDERS", "billing")).fetch({ max_messages: 5, expires: 2_000 });
      for await (const m of messages) await m.ackAck();
      await expect(clear).toBeVisible({ timeout: 30_000 });
      await expect(page.getByTestId("findings-timeline-totals")).toHaveText(/· 1 opened · 1 resolved/);
      const resolved = page.getByTestId("resolved-findings");
      await resolved.locator("summary").focus();
      await page.keyboard.press("Enter");
      await expect(resolved.getByTestId("resolved-finding")).toContainText(["ORDERS / billing"]);
    } finally {
      await nc.close();
    }
  });
});
