import { expect, test, type Page } from "@playwright/test";
import { expectWritesNeedOperator } from "./support/operator-writes";
import { saveScreenshot } from "../testing/app/screenshots";
import { startApp, type AppHandle } from "../testing/app/app-process";
import { readCount, readShownOfTotal } from "./support/read-count";
import { classifyConsumer } from "../lib/own-resources";

type StoredConsumerRows = {
  meta: { own_streams: string[] };
  items: { stream: string; name: string; num_pending: number; num_ack_pending: number; config: { durable?: boolean } }[];
};
type StoredDocument = { url: string; created_by: string; queries: { key: unknown[]; data: unknown }[] };

/** What the stored document says the frozen consumers view showed. */
function frozenConsumers(doc: StoredDocument) {
  const entry = doc.queries.find((q) => q.key[0] === "live" && q.key[1] === "consumer_rows");
  expect(entry, "the consumers view freezes its live consumer_rows topic").toBeDefined();
  const { items: consumers, meta } = entry!.data as StoredConsumerRows;
  const analytics = consumers.find((c) => c.name === "analytics-consumer")!;
  // the view's total leaves out busdeck's own and the ephemeral consumers until "show internal" (lib/own-resources.ts)
  return {
    count: consumers.filter((c) => classifyConsumer(c, meta.own_streams) === "application").length,
    analyticsLag: analytics.num_pending + analytics.num_ack_pending,
  };
}

async function freezeCurrentView(page: Page): Promise<string> {
  await page.getByTestId("freeze-button").click();
  const link = page.getByTestId("freeze-permalink");
  await expect(link).toHaveAttribute("href", /^\/s\/[a-z2-7]{16}$/);
  return (await link.getAttribute("href"))!;
}

test.describe("frozen snapshots", () => {
  test("a frozen consumers view opens in a fresh browser with the figures it was frozen with, and stays frozen while live data moves", async ({
    page,
    browser,
    request,
  }, testInfo) => {
    await page.goto("/consumers?q=consumer&sort=lag_msgs&dir=desc");
    const liveRow = page.getByTestId("consumer-row-analytics-consumer");
    await expect(liveRow.getByTestId("consumer-status")).toHaveText(/^(WARN|STALL|STOP|ERR)$/, { timeout: 40_000 });
    const liveCount = await readShownOfTotal(page.getByTestId("consumer-count").textContent());

    const permalink = await freezeCurrentView(page);
    const stored = (await (await request.get(`/api${permalink.replace("/s/", "/snapshots/")}`)).json()) as StoredDocument;
    expect(stored.url).toBe("/consumers?q=consumer&sort=lag_msgs&dir=desc");
    expect(stored.created_by).toBe("local");
    const frozen = frozenConsumers(stored);
    expect(frozen.analyticsLag).toBeGreaterThan(0);

    // A fresh context: no cache, no cookies — only the permalink.
    const context = await browser.newContext();
    const fresh = await context.newPage();
    const liveDataRequests: string[] = [];
    fresh.on("request", (r) => {
      const url = r.url();
      if (
        /\/api\/(topics\/(?!connection)|consumers|streams|outcomes|failover)/.test(url) ||
        (/\/api\/events/.test(url) && /consumers/.test(url))
      )
        liveDataRequests.push(url);
    });
    await fresh.goto(permalink);
    await expect(fresh.getByTestId("frozen-banner")).toContainText(/Frozen snapshot — taken \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by local/);
    await expect(fresh.getByTestId("frozen-live-link")).toHaveAttribute("href", stored.url);
    const frozenRow = fresh.getByTestId("consumer-row-analytics-consumer");
    await expect(frozenRow.getByTestId("consumer-lag")).toHaveText(frozen.analyticsLag.toLocaleString("en-US"));
    // The frozen URL's filter applies: the same rows as the live page had, filter box included.
    await expect(fresh.getByTestId("consumer-filter")).toHaveValue("consumer");
    // The total is the frozen document's: the live total can change between reading it and freezing (an ordered
    // consumer of another test comes or goes), the consumers the filter matches do not.
    expect(await readShownOfTotal(fresh.getByTestId("consumer-count").textContent())).toEqual({
      shown: liveCount.shown,
      total: frozen.count,
    });

    // Live data moves on (the analytics consumer keeps falling behind); the frozen view does not.
    await expect
      .poll(async () => readCount(liveRow.getByTestId("consumer-lag").textContent()), { timeout: 30_000 })
      .not.toBe(frozen.analyticsLag);
    await expect(frozenRow.getByTestId("consumer-lag")).toHaveText(frozen.analyticsLag.toLocaleString("en-US"));
    expect(liveDataRequests, "a frozen view never asks for live data").toEqual([]);
    await saveScreenshot(fresh, "snapshot-frozen-consumers", testInfo);

    // Filters still work on the frozen data, without touching the permalink.
    await fresh.getByTestId("consumer-filter").fill("analytics");
    await expect(fresh.getByTestId("consumer-row-api-consumer")).toHaveCount(0);
    expect(new URL(fresh.url()).pathname + new URL(fresh.url()).search).toBe(permalink);
    await context.close();
  });

  test("every view can be frozen and its permalink renders that view with its data", async ({ page }) => {
    for (const [path, probe] of [
      ["/streams", "stream-count"],
      ["/failover", "lock-holder"],
      ["/outcomes", "outcome-total"],
    ] as const) {
      await page.goto(path);
      await expect(page.getByTestId(probe).first()).toHaveText(/\d/, { timeout: 30_000 });
      const permalink = await freezeCurrentView(page);
      await page.goto(permalink);
      await expect(page.getByTestId("frozen-banner")).toBeVisible();
      await expect(page.getByTestId("frozen-view").getByTestId(probe).first()).toHaveText(/\d/);
    }
  });

  test("an error group and a stored message freeze, and reopen in a fresh browser as they were", async ({ page, browser }) => {
    test.slow(); // two freezes, two fresh contexts, and the demo's first error wave
    await page.goto("/outcomes");
    await page.getByTestId("error-group-link").first().click({ timeout: 90_000 });
    await expect(page).toHaveURL(/\/outcomes\/groups\/[^/]+\/[^/?]+/);
    const pattern = (await page.getByTestId("error-group-pattern").textContent())!;
    await expect(page.getByTestId("error-group-target").first()).toBeVisible();
    const groupPermalink = await freezeCurrentView(page);

    await page.goto("/streams/sensory-events/messages/1");
    const title = (await page.getByTestId("message-title").textContent())!;
    await expect(page.getByTestId("message-headers")).toBeVisible();
    const messagePermalink = await freezeCurrentView(page);

    const fresh = await browser.newContext();
    try {
      const frozen = await fresh.newPage();
      await frozen.goto(groupPermalink);
      await expect(frozen.getByTestId("frozen-banner")).toContainText("Error group");
      await expect(frozen.getByTestId("frozen-view").getByTestId("error-group-pattern")).toHaveText(pattern);
      await expect(frozen.getByTestId("frozen-view").getByTestId("error-group-target").first()).toBeVisible();
      await frozen.goto(messagePermalink);
      await expect(frozen.getByTestId("frozen-banner")).toContainText("Message sensory-events #1");
      await expect(frozen.getByTestId("frozen-view").getByTestId("message-title")).toHaveText(title);
      await expect(frozen.getByTestId("frozen-view").getByTestId("message-headers")).toBeVisible();
    } finally {
      await fresh.close();
    }
  });

  test("every link inside a frozen view is marked as leading to live data; live pages carry no mark", async ({ page }, testInfo) => {
    // a live load, a freeze, then the frozen view in two themes with full-page screenshots: more than one default budget
    test.slow();
    await page.goto("/consumers/routing-decisions/analytics-consumer");
    await expect(page.getByTestId("consumer-verdict")).toHaveText(/\w/, { timeout: 30_000 });
    await expect(page.locator(".live-mark")).toHaveCount(0);
    const permalink = await freezeCurrentView(page);
    await page.goto(permalink);
    const view = page.getByTestId("frozen-view");
    await expect(view.getByTestId("consumer-verdict")).toHaveText(/\w/);
    const links = view.locator("a[href]");
    expect(await links.count()).toBeGreaterThan(0);
    // Each link that leaves the snapshot shows a "live" mark and says where it goes in its title.
    await expect(view.locator("a[href]:not([data-live-link])")).toHaveCount(0);
    for (const link of await links.all()) {
      await expect(link.locator(".live-mark")).toHaveText("live");
      await expect(link).toHaveAttribute("title", /opens live data, not this snapshot/);
    }
    // The banner's own way back to the live view is the one link outside the frozen view.
    await expect(page.getByTestId("frozen-live-link")).toHaveText(/live view/);
    await saveScreenshot(page, "snapshot-frozen-live-links", testInfo);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.evaluate(() => localStorage.setItem("busdeck-theme", "dark"));
    await page.reload();
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    await expect(view.locator("a[href] .live-mark").first()).toBeVisible();
    await saveScreenshot(page, "snapshot-frozen-live-links-dark", testInfo);
  });

  test("Freeze is offered only once the page can act on it: server-rendered it is disabled, hydrated it is enabled", async ({
    page,
    request,
  }) => {
    // CI once clicked a server-rendered Freeze before hydration: the click reached no handler and nothing was frozen.
    const html = await (await request.get("/consumers")).text();
    const buttons = ["freeze-button", "freeze-named"].map((id) => html.match(new RegExp(`<button[^>]*data-testid="${id}"[^>]*>`))?.[0]);
    for (const button of buttons) expect(button, "rendered on the server, disabled").toMatch(/ disabled=""/);
    await page.goto("/consumers");
    await expect(page.getByTestId("freeze-button")).toBeEnabled();
  });

  test("the snapshots list shows each snapshot and deletes one after confirmation", async ({ page, request }, testInfo) => {
    await page.goto("/streams");
    await expect(page.getByTestId("stream-count")).toHaveText(/[1-9]/);
    const permalink = await freezeCurrentView(page);
    const id = permalink.slice(3);

    await page.getByRole("navigation").getByRole("link", { name: "Snapshots", exact: true }).click();
    await expect(page).toHaveURL(/\/snapshots$/);
    const row = page.locator(`[data-testid="snapshot-row"][data-id="${id}"]`);
    await expect(row).toContainText("Streams");
    await expect(row).toContainText("local");
    await expect(row).toContainText(/\d+(\.\d)? (B|KiB|MiB)/);
    await saveScreenshot(page, "snapshots-list", testInfo);

    await row.getByTestId("snapshot-delete").click();
    const dialog = page.getByTestId("delete-dialog");
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(permalink);
    await saveScreenshot(page, "snapshots-delete-dialog", testInfo);
    await dialog.getByTestId("delete-confirm").click();
    await expect(row).toHaveCount(0);
    expect((await request.get(`/api/snapshots/${id}`)).status()).toBe(404);
    expect((await page.goto(permalink))?.status()).toBe(404);
  });

  test("a named freeze says what it did: a focused toast with the permalink and Copy, the name in the list and on the banner", async ({
    page,
    context,
  }, testInfo) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto("/outcomes?range=1h");
    await page.getByTestId("freeze-as").click();
    await page.getByTestId("freeze-name").fill("INC-4711");
    await page.keyboard.press("Enter");
    const toast = page.getByTestId("freeze-toast");
    await expect(toast).toContainText("Frozen “INC-4711”");
    await expect(toast.locator("p")).toBeFocused();
    const href = (await page.getByTestId("freeze-permalink").getAttribute("href"))!;
    expect(href).toMatch(/^\/s\/[a-z2-7]{16}$/);
    await saveScreenshot(page, "freeze-toast", testInfo);
    await page.getByTestId("freeze-copy").click();
    await expect(page.getByTestId("freeze-copy")).toHaveText("Copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(new URL(href, page.url()).toString());

    await page.goto("/snapshots");
    const row = page.locator(`[data-testid="snapshot-row"][data-id="${href.slice(3)}"]`);
    await expect(row.getByTestId("snapshot-name")).toHaveText("INC-4711");
    await expect(row.getByTestId("snapshot-permalink")).toHaveText(href);
    await page.goto(href);
    await expect(page.getByTestId("frozen-banner")).toContainText("Frozen snapshot INC-4711");
    await expect(page.getByTestId("frozen-range")).toHaveText(
      /^data \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC → \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(last 1h\)$/,
    );
  });

  test("a frozen view states its absolute window and when its data was sampled, never a live age", async ({ page }) => {
    await page.goto("/failover");
    await expect(page.getByTestId("range-active")).toHaveText(/live · last 1h \(view default\)/);
    await page.goto(await freezeCurrentView(page));
    const stamp = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC";
    await expect(page.getByTestId("frozen-range")).toHaveText(new RegExp(`^data ${stamp} → ${stamp} \\(last 1h, the view's default\\)$`));
    await page.goto("/consumers");
    await expect(page.getByTestId("snapshot-freshness")).toHaveText(/^data live · sampled/);
    await page.goto(await freezeCurrentView(page));
    await expect(page.getByTestId("frozen-range")).toHaveText(new RegExp(`^data as of ${stamp} \\(the latest sample\\)$`));
    await expect(page.getByTestId("frozen-view").getByTestId("snapshot-freshness")).toHaveText(new RegExp(`^frozen · sampled ${stamp}$`));
  });

  test("the snapshot API validates ids and requests, naming what is wrong", async ({ request }) => {
    const malformed = await request.get("/api/snapshots/not-an-id");
    expect(malformed.status()).toBe(400);
    expect((await malformed.json()).reason).toMatch(/^id: /);
    expect((await request.get("/api/snapshots/aaaaaaaaaaaaaaaa")).status()).toBe(404);
    const bad = await request.post("/api/snapshots", { data: { url: "/snapshots", view_now: 1, queries: [{ key: ["x"], data: 1 }] } });
    expect(bad.status()).toBe(400);
    expect((await bad.json()).reason).toMatch(/body\.url: not a view that can be frozen/);
  });

  test("a note added by an operator appears on an open chart live, is listed, and is deleted everywhere", async ({
    page,
    request,
  }, testInfo) => {
    await page.goto("/consumers/routing-decisions/analytics-consumer");
    const chart = page.getByTestId("consumer-lag-chart");
    await expect(chart.locator(".recharts-line path.recharts-curve").first()).toBeVisible({ timeout: 20_000 });
    // unique per run: notes from an earlier run on the same server (--repeat-each) must not match these texts too
    const unique = `${Date.now().toString(36)}-${testInfo.repeatEachIndex}`;
    const text = `rolled back deploy ${unique}`;
    const drill = `failover drill ${unique}`;
    // Added elsewhere (another operator's browser): this page learns of it over SSE, without a reload.
    const created = await request.post("/api/annotations", { data: { text } });
    expect(created.status()).toBe(201);
    const note = (await created.json()) as { id: string; author: string; at: string };
    expect(note.author).toBe("local");
    // recharts draws a reference line's label in its own layer: the dashed line and its label are found apart.
    await expect(chart.getByText(`✎ ${text}`)).toBeVisible({ timeout: 20_000 });
    // A vertical line has a zero-width box, which Playwright calls hidden: check it is drawn, dashed, instead.
    await expect(chart.locator(".chart-annotation line").first()).toHaveAttribute("stroke-dasharray", "4 3");
    await saveScreenshot(page, "annotation-on-consumer-chart", testInfo);
    const permalink = await freezeCurrentView(page);

    await page.getByRole("navigation").getByRole("link", { name: "Notes", exact: true }).click();
    const row = page.getByTestId("annotation-row").filter({ hasText: text });
    await expect(row).toContainText("local");
    await page.getByTestId("annotation-text").fill(drill);
    await page.getByTestId("annotation-add").click();
    await expect(page.getByTestId("annotation-row").filter({ hasText: drill })).toBeVisible();
    await expect(page.getByTestId("annotation-text")).toHaveValue("");
    await saveScreenshot(page, "annotations-list", testInfo);

    await row.getByTestId("annotation-delete").click();
    const confirmDialog = page.getByTestId("delete-dialog");
    await expect(confirmDialog).toContainText(text);
    await saveScreenshot(page, "annotation-delete-dialog", testInfo);
    await confirmDialog.getByTestId("delete-confirm").click();
    await expect(confirmDialog).toBeHidden();
    await expect(row).toHaveCount(0);
    const after = (await (await request.get("/api/annotations")).json()) as { annotations: { id: string }[] };
    expect(after.annotations.map((a) => a.id)).not.toContain(note.id);
    // The note is gone live, but a view frozen while it was there still shows it.
    await page.goto(permalink);
    await expect(page.getByTestId("frozen-view").getByTestId("consumer-lag-chart").getByText(`✎ ${text}`)).toBeVisible();
    await saveScreenshot(page, "snapshot-frozen-consumer-detail", testInfo);
  });

  test("the annotations API validates notes, naming the field", async ({ request }) => {
    const long = await request.post("/api/annotations", { data: { text: "x".repeat(281) } });
    expect(long.status()).toBe(400);
    expect((await long.json()).reason).toMatch(/^body\.text: at most 280 characters/);
    expect((await request.delete("/api/annotations/not-an-id")).status()).toBe(400);
    expect((await request.delete("/api/annotations/aaaaaaaaaaaaaaaa")).status()).toBe(404);
  });
});

test.describe("who may freeze and annotate", () => {
  let app: AppHandle;
  const basic = (user: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` });
  const ann = basic("ann", "ann-password-1");
  const bob = basic("bob", "bob-password-2");
  test.beforeAll(async () => {
    app = await startApp({
      NATS_URL: "",
      BUSDECK_DEMO: "0",
      BUSDECK_AUTH: "basic",
      BUSDECK_AUTH_USERS: "ann:ann-password-1:operator\nbob:bob-password-2",
    });
  });
  test.afterAll(async () => app?.stop());

  test("a viewer gets 403 with the reason; an operator's snapshot and note carry their name", async ({ request }) => {
    const id = await expectWritesNeedOperator(request, app.baseUrl, { headers: bob, user: "bob" }, { headers: ann, user: "ann" });
    expect((await request.delete(`${app.baseUrl}/api/snapshots/${id}`, { headers: bob })).status()).toBe(403);
    expect(
      ((await (await request.get(`${app.baseUrl}/api/snapshots/${id}`, { headers: bob })).json()) as { created_by: string }).created_by,
    ).toBe("ann");
  });

  test("a viewer's browser offers no Freeze and no note form", async ({ browser }) => {
    const context = await browser.newContext({ httpCredentials: { username: "bob", password: "bob-password-2" } });
    try {
      const page = await context.newPage();
      await page.goto(`${app.baseUrl}/streams`);
      await expect(page.getByTestId("freeze-button")).toBeDisabled();
      await expect(page.getByTestId("freeze-button")).toHaveAttribute("title", /needs the operator role/);
      await page.goto(`${app.baseUrl}/annotations`);
      await expect(page.getByText("Adding and deleting notes needs the operator role.")).toBeVisible();
      await expect(page.getByTestId("annotation-form")).toHaveCount(0);
    } finally {
      await context.close();
    }
  });
});
