import { expect, test } from "@playwright/test";
import { connectToAppNats } from "./support/app-nats";
import { jetstreamManager } from "@nats-io/jetstream";
import { saveScreenshot, saveScreenshotsLightAndDark } from "../testing/app/screenshots";

const STREAM = "routing-decisions";

test.describe("streams view and message browser", () => {
  test("open a stream, jump to a sequence, open a message, reload its permalink", async ({ page }, testInfo) => {
    await page.goto("/streams");
    const row = page.getByTestId(`stream-row-${STREAM}`);
    await expect(row).toBeVisible();
    // Fill bars show used against the configured limit, e.g. "12 KiB / 1 GiB".
    await expect(row.getByTestId("stream-fill")).toContainText(/ \/ 1 GiB/);
    await expect(page.getByTestId(`stream-row-llm-requests`)).toBeVisible();
    await saveScreenshot(page, "streams-list", testInfo);

    await row.getByTestId("stream-link").click();
    await expect(page).toHaveURL(new RegExp(`/streams/${STREAM}$`));
    await expect(page.getByTestId("stream-title")).toHaveText(STREAM);
    await expect(page.getByTestId("stream-config")).toContainText("routing.>");
    await page.getByTestId("stream-raw-info").locator("summary").click();
    await expect(page.getByTestId("stream-raw-info")).toContainText('"duplicate_window"');
    await page.getByTestId("stream-raw-info").locator("summary").click(); // closed again for the screenshot
    await expect(page.getByTestId("subject-counts").locator("tbody tr").first()).toContainText(/routing\./);
    await expect(page.getByTestId("stream-consumers")).toBeVisible();
    // The rate chart draws once the history holds two samples.
    await expect(page.getByTestId("rate-chart").locator(".recharts-line").first()).toBeVisible({ timeout: 20_000 });
    await saveScreenshot(page, "stream-detail", testInfo);

    await page.getByTestId("browse-messages").click();
    await expect(page).toHaveURL(new RegExp(`/streams/${STREAM}/messages$`));
    await expect(page.getByTestId("message-table").locator("tbody tr").first()).toBeVisible();
    await page.getByTestId("jump-seq").fill("3");
    await page.getByTestId("jump-go").click();
    await expect(page).toHaveURL(/\?seq=3$/);
    const first = page.getByTestId("message-table").locator("tbody tr").first();
    await expect(first).toHaveAttribute("data-testid", "message-row-3");
    await saveScreenshot(page, "stream-messages", testInfo);

    await first.getByTestId("message-link").click();
    await expect(page).toHaveURL(new RegExp(`/streams/${STREAM}/messages/3$`));
    const checkMessage = async () => {
      await expect(page.getByTestId("message-seq")).toHaveText("3");
      await expect(page.getByTestId("message-subject")).toHaveText(/^routing\./);
      await expect(page.getByTestId("message-headers")).toContainText("Nats-Msg-Id");
      await expect(page.getByTestId("message-headers")).toContainText("application/json");
      await expect(page.getByTestId("payload-kind")).toContainText("JSON");
      await expect(page.getByTestId("payload-text")).toContainText('"selectedModel": "');
    };
    await checkMessage();
    await saveScreenshot(page, "stream-message", testInfo);
    await page.reload();
    await checkMessage();
  });

  test("payload search with a JSON predicate counts scanned and matched", async ({ page }, testInfo) => {
    // Scoped to a subject only the demo publishes on: other tests put probe messages (no model, no cost) on
    // routing.model.selected, and the equality below must hold for every message the search scans.
    await page.goto(`/streams/${STREAM}/messages?dir=forward&subject=routing.cost.calculated`);
    await page.getByTestId("search-mode").selectOption("predicate");
    await page.getByTestId("search-query").fill('selectedModel ~= "" && estimatedCost >= 0');
    await page.getByTestId("search-run").click();
    await expect(page.getByTestId("search-status")).toContainText(/done: /);
    const scanned = Number((await page.getByTestId("search-scanned").textContent())!.replace(/\D/g, ""));
    const matched = Number((await page.getByTestId("search-matched").textContent())!.replace(/\D/g, ""));
    expect(scanned).toBeGreaterThan(0);
    expect(matched).toBe(scanned); // every routing decision has a model and a cost
    await expect(page.getByTestId("search-results").locator("tbody tr").first()).toBeVisible();
    await saveScreenshot(page, "stream-search", testInfo);
    // The search is part of the page's URL: a reload (or a shared link) shows it again, ready to run.
    await expect(page).toHaveURL(/search=selectedModel.*&mode=predicate/);
    await expect(page).toHaveURL(/subject=routing\.cost\.calculated/);
    await page.reload();
    await expect(page.getByTestId("search-query")).toHaveValue('selectedModel ~= "" && estimatedCost >= 0');
    await expect(page.getByTestId("search-mode")).toHaveValue("predicate");

    await page.getByTestId("search-query").fill("selectedModel == ");
    await page.getByTestId("search-run").click();
    await expect(page.getByTestId("search-status")).toContainText(/error: q: expected a value/);
  });

  test("live tail shows new messages on a subject filter and pauses", async ({ page, request }, testInfo) => {
    // The test publishes on the tailed subject itself: the demo's routing traffic has quiet phases, and a
    // tail test must not depend on when it runs in the demo's story.
    const nc = await connectToAppNats(request);
    let n = 0;
    const traffic = setInterval(() => nc.publish("routing.model.selected", JSON.stringify({ e2e_tail: ++n })), 300);
    try {
      await page.goto(`/streams/${STREAM}/messages?subject=routing.model.selected`);
      // buttons take no pointer before hydration (a click then reached no handler; CI once saw the tail still "off"
      // 20 s later), so Playwright's click waits for it
      await page.getByTestId("tail-start").click();
      await expect(page.getByTestId("tail-state")).not.toContainText(/^off/);
      const rows = page.getByTestId("tail-table").locator("tbody tr[data-testid^=message-row-]");
      await expect(rows.first()).toBeVisible({ timeout: 20_000 });
      await expect(rows.first()).toContainText("routing.model.selected");
      await page.getByTestId("tail-pause").click();
      await expect(page.getByTestId("tail-state")).toContainText("paused");
      const pausedAt = await rows.count();
      await page.getByTestId("tail-start").click(); // resume continues after the last shown sequence
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThan(pausedAt);
      await saveScreenshot(page, "stream-tail", testInfo);
    } finally {
      clearInterval(traffic);
      await nc.close();
    }
  });

  test("a malformed payload is shown raw with a warning, never breaking the page", async ({ page, request }, testInfo) => {
    // The demo sometimes fails LLM requests with a truncated JSON body, plain text or msgpack bytes.
    type Row = { seq: number; payload: { kind: string; warning: string | null } };
    let bad: Row | undefined;
    await expect
      .poll(
        async () => {
          const res = await request.get("/api/streams/llm-requests/messages?subject=llm.request.failed&dir=forward&size=200");
          const rows = ((await res.json()).messages ?? []) as Row[];
          bad = rows.find((m) => m.payload.warning !== null || m.payload.kind === "binary");
          return bad !== undefined;
        },
        { timeout: 45_000, intervals: [1_000] },
      )
      .toBe(true);
    await page.goto(`/streams/llm-requests/messages/${bad!.seq}`);
    await expect(page.getByTestId("message-subject")).toHaveText("llm.request.failed");
    if (bad!.payload.kind === "binary") await expect(page.getByTestId("payload-kind")).toContainText("binary (hex)");
    else await expect(page.getByTestId("payload-warning")).toContainText(/malformed JSON/);
    await expect(page.getByTestId("payload-text")).not.toBeEmpty();
    await saveScreenshot(page, "stream-message-malformed", testInfo);
  });

  test("at 1280×800 the streams table keeps its last column in view and cuts a stream name only when it must", async ({
    page,
    request,
  }, testInfo) => {
    const LONG = "E2E_customer-billing-invoice-reconciliation-events-eu-west-1";
    const nc = await connectToAppNats(request);
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: LONG, subjects: ["e2e.long-name.>"] });
    try {
      await page.goto("/streams");
      const table = page.getByTestId("streams-table");
      const ready = () => expect(page.getByTestId(`stream-row-${LONG}`)).toBeVisible();
      await ready();
      const lastHeader = await table.locator("thead th").last().boundingBox();
      expect(lastHeader!.x + lastHeader!.width).toBeLessThanOrEqual(page.viewportSize()!.width);
      expect(
        await table.evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth),
        "horizontal scroll of the table",
      ).toBe(0);
      const names = () =>
        table
          .getByTestId("stream-link")
          .evaluateAll((links) =>
            links.map((a) => ({ name: a.textContent, cut: a.scrollWidth > a.clientWidth, title: a.getAttribute("title") })),
          );
      // polled: the columns settle once every row's figures are in
      await expect
        .poll(async () => (await names()).filter((n) => n.cut && n.name !== LONG), { message: "names cut although the column has room" })
        .toEqual([]);
      expect((await names()).find((n) => n.name === LONG)).toEqual({ name: LONG, cut: true, title: LONG });
      await saveScreenshotsLightAndDark(page, "streams-list-long-name", testInfo, ready);
    } finally {
      await jsm.streams.delete(LONG).catch(() => undefined);
      await nc.close();
    }
  });

  test("the streams table sorts from the keyboard: its sortable headers are buttons", async ({ page }) => {
    await page.goto("/streams");
    await expect(page.getByTestId(`stream-row-${STREAM}`)).toBeVisible();
    const header = page.getByTestId("streams-sort-messages");
    await header.focus();
    await expect(header).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/[?&]sort=messages/);
    await expect(page.locator("th[aria-sort]")).toContainText("Messages");
  });

  test("stream detail reads in the dark theme", async ({ page }, testInfo) => {
    await page.addInitScript(() => localStorage.setItem("busdeck-theme", "dark"));
    await page.goto(`/streams/${STREAM}`);
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    await expect(page.getByTestId("rate-chart").locator(".recharts-line").first()).toBeVisible({ timeout: 20_000 });
    await saveScreenshot(page, "stream-detail-dark", testInfo);
  });

  test("a bad top on a stream's page is named, and the subjects panel keeps its default", async ({ page }) => {
    await page.goto(`/streams/${STREAM}?top=7`);
    await expect(page.getByTestId("stream-url-error")).toContainText('top: "7" is not valid');
    await expect(page.getByRole("group", { name: "Top N" }).getByRole("button", { name: "10", exact: true })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
  });

  test("the message API rejects bad parameters naming them and 404s a missing message", async ({ request }) => {
    const bad = await request.get(`/api/streams/${STREAM}/messages?seq=abc`);
    expect(bad.status()).toBe(400);
    expect((await bad.json()).reason).toMatch(/^seq: /);
    const size = await request.get(`/api/streams/${STREAM}/messages?size=7`);
    expect((await size.json()).reason).toMatch(/^size: must be one of/);
    const missing = await request.get(`/api/streams/${STREAM}/messages/999999999`);
    expect(missing.status()).toBe(404);
    const noStream = await request.get(`/api/streams/no-such-stream/messages`);
    expect(noStream.status()).toBe(404);
  });

  test("not found is a page with the next step: a message past the end, and a path busdeck has no page for", async ({ page }, testInfo) => {
    await page.goto("/streams/routing-decisions/messages/99999999999999");
    const error = page.getByTestId("message-error");
    await expect(error).toContainText(/routing-decisions holds #[\d,]+–[\d,]+; #99,999,999,999,999 is past the end/);
    await saveScreenshot(page, "message-not-found", testInfo);
    // no stepping to #99,999,999,999,998 or #100,000,000,000,000: the page offers the real next step instead
    await expect(page.getByTestId("message-prev")).toBeHidden();
    await expect(page.getByTestId("message-next")).toBeHidden();
    await page.getByTestId("message-next-step").click();
    await expect(page.getByTestId("message-seq")).toBeVisible();
    const res = await page.goto("/no-such-view");
    expect(res?.status()).toBe(404);
    await expect(page.getByTestId("not-found")).toContainText("busdeck has no page at this address");
    await expect(page.getByTestId("not-found").getByRole("link", { name: "Streams" })).toBeVisible();
  });
});
