import { expect, test } from "@playwright/test";
import { saveScreenshot, saveScreenshotsLightAndDark } from "../testing/app/screenshots";
import { readCount } from "./support/read-count";

test.describe("shell on the embedded default", () => {
  test("navigation reaches the four views and the connection shows connected", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByTestId("nats-status")).toHaveText(/connected/i);
    for (const [label, path] of [
      ["Streams", "/streams"],
      ["Consumers", "/consumers"],
      ["Reflex outcomes", "/outcomes"],
      ["Failover", "/failover"],
    ]) {
      await page.getByRole("navigation").getByRole("link", { name: label, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`${path}$`));
      await expect(page.getByRole("navigation").getByRole("link", { name: label, exact: true })).toHaveAttribute("aria-current", "page");
    }
    // One entry stands for every Bus page: it says where you are on each of them.
    for (const path of ["/bus/servers", "/bus/connections"]) {
      await page.goto(path);
      await expect(page.getByRole("navigation").getByRole("link", { name: "Bus", exact: true })).toHaveAttribute("aria-current", "page");
    }
    await expect(page.getByTestId("connection-banner")).toHaveCount(0);
  });

  test("streams: demo streams appear and their message counts grow live", async ({ page }, testInfo) => {
    await page.goto("/streams");
    const row = page.getByTestId("stream-row-routing-decisions");
    await expect(row).toBeVisible();
    const first = await readCount(row.getByTestId("stream-messages").textContent());
    await expect.poll(async () => readCount(row.getByTestId("stream-messages").textContent()), { timeout: 15_000 }).toBeGreaterThan(first);
    await saveScreenshot(page, "streams", testInfo);
  });

  test("consumers: the four demo consumers appear with live lag", async ({ page }, testInfo) => {
    await page.goto("/consumers");
    for (const name of ["api-consumer", "analytics-consumer", "consolidation-consumer", "metrics-consumer"]) {
      await expect(page.getByTestId(`consumer-row-${name}`)).toBeVisible();
    }
    const lag = page.getByTestId("consumer-row-analytics-consumer").getByTestId("consumer-lag");
    const first = await readCount(lag.textContent());
    await expect.poll(async () => readCount(lag.textContent()), { timeout: 20_000 }).not.toBe(first);
    await saveScreenshot(page, "consumers", testInfo);
  });

  test("outcomes: reflex outcomes stream in", async ({ page }, testInfo) => {
    await page.goto("/outcomes");
    const total = page.getByTestId("outcome-total");
    await expect(page.getByTestId("outcome-row").first()).toBeVisible();
    const first = await readCount(total.textContent());
    await expect.poll(async () => readCount(total.textContent()), { timeout: 15_000 }).toBeGreaterThan(first);
    await saveScreenshot(page, "outcomes", testInfo);
  });

  test("failover: singleton locks show a holder", async ({ page }, testInfo) => {
    await page.goto("/failover");
    await expect(page.getByTestId("lock-card-dedup").getByTestId("lock-holder")).toHaveText(/dedup-\d/);
    await expect(page.getByTestId("lock-card-llm").getByTestId("lock-holder")).toHaveText(/llm-\d/);
    await saveScreenshot(page, "failover", testInfo);
  });

  test("overview counts streams", async ({ page }, testInfo) => {
    await page.goto("/");
    await expect.poll(async () => readCount(page.getByTestId("overview-streams").textContent())).toBeGreaterThanOrEqual(3);
    await saveScreenshot(page, "overview", testInfo);
  });

  test("busdeck's own and the KV streams wait behind 'show internal', tagged, left out of the counts, and never need attention", async ({
    page,
  }, testInfo) => {
    await page.goto("/streams");
    const ownRows = page
      .locator("[data-testid^=stream-row-]")
      .filter({ has: page.locator("[data-testid=stream-kind][data-kind=internal]") });
    const toggle = page.getByTestId("streams-show-internal");
    const toggleLabel = page.getByTestId("streams-show-internal-label");
    await expect(toggleLabel).toHaveText(/^Show internal \([1-9][\d,]* hidden\)$/);
    await expect(page.locator("[data-testid^=stream-row-]").first()).toBeVisible();
    await expect(ownRows).toHaveCount(0);
    // the demo's lock bucket is a KV bucket: its backing stream waits behind the toggle too
    const kvRow = page.getByTestId("stream-row-KV_locks");
    await expect(kvRow).toHaveCount(0);
    await toggle.click();
    await expect(page).toHaveURL(/[?&]own=1/);
    await expect(toggleLabel).toHaveText(/^Show internal \([1-9][\d,]* shown\)$/);
    await expect.poll(() => ownRows.count()).toBeGreaterThan(0);
    await expect(ownRows.first().getByTestId("stream-kind")).toHaveText("internal");
    await expect(kvRow.getByTestId("stream-kind")).toHaveText("KV");
    const [, bus, own] =
      /^([\d,]+) streams · ([\d,]+) of busdeck's own$/.exec((await page.getByTestId("stream-count").textContent()) ?? "") ?? [];
    expect(Number(own?.replace(/,/g, ""))).toBe(await ownRows.count());
    // the address carries the toggle: a reload (into the dark theme) lists them still
    await saveScreenshotsLightAndDark(page, "streams-internal-shown", testInfo, () => expect(ownRows.first()).toBeVisible());
    await page.getByTestId("streams-attention").click();
    await expect(page.getByTestId("streams-table")).toBeVisible();
    await expect(ownRows).toHaveCount(0);
    await page.goto("/");
    await expect.poll(async () => readCount(page.getByTestId("overview-streams").textContent())).toBe(Number(bus?.replace(/,/g, "")));
  });
});

test.describe("HTTP contract", () => {
  test("the SSE endpoint rejects unknown topics with a 400 that names them", async ({ request }) => {
    const res = await request.get("/api/events?topics=streams,bogus");
    expect(res.status()).toBe(400);
    expect((await res.json()).reason).toMatch(/bogus/);
  });

  test("pages carry a nonce CSP and every response the security headers", async ({ request, page }) => {
    const res = await request.get("/streams");
    const csp = res.headers()["content-security-policy"] ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    const api = await request.get("/api/health");
    expect(api.headers()["x-content-type-options"]).toBe("nosniff");
    // The app still hydrates and runs under the policy, with no violations reported.
    const violations: string[] = [];
    page.on("console", (m) => m.text().includes("Content Security Policy") && violations.push(m.text()));
    await page.goto("/streams");
    await expect(page.getByTestId("nats-status")).toHaveText(/connected/i);
    expect(violations).toEqual([]);
  });

  test("a server-rendered button takes no click until the page hydrates, then takes it", async ({ browser, page }) => {
    // Without JavaScript the page never hydrates: the server's markup is what a click before hydration meets.
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const bare = await noScript.newPage();
    await bare.goto("/consumers");
    const pointerEvents = (p: typeof page) => p.getByTestId("freeze-button").evaluate((b) => getComputedStyle(b).pointerEvents);
    expect(await pointerEvents(bare)).toBe("none");
    await noScript.close();
    await page.goto("/consumers");
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "");
    expect(await pointerEvents(page)).toBe("auto");
  });

  test("health and metrics answer", async ({ request }) => {
    const health = await (await request.get("/api/health")).json();
    expect(health).toMatchObject({ status: "ok", nats: { status: "connected" } });
    const metrics = await (await request.get("/metrics")).text();
    expect(metrics).toMatch(/^busdeck_sse_clients \d+/m);
    expect(metrics).toMatch(/busdeck_sampler_duration_seconds_count\{sampler="jetstream",outcome="ok"\} [1-9]/);
    // The production build folds the outcome summary on its own thread, not the inline fallback.
    expect(metrics).toMatch(/^busdeck_outcome_fold_thread\{thread="worker"\} 1$/m);
    expect(metrics).toMatch(/^busdeck_outcome_fold_backlog \d+$/m);
  });

  test("keyboard and screen readers: a skip link first, the theme button named by its text, Escape closes a menu", async ({ page }) => {
    await page.goto("/consumers");
    await expect(page.getByTestId("nats-status")).toHaveText(/connected/i);
    await page.keyboard.press("Tab");
    const skip = page.getByTestId("skip-link");
    await expect(skip).toBeFocused();
    expect((await skip.boundingBox())!.y).toBeGreaterThanOrEqual(0); // visible once focused
    await page.keyboard.press("Enter");
    await expect(page.locator("main#main")).toBeFocused();

    const theme = page.getByTestId("theme-toggle");
    const visible = ((await theme.textContent()) ?? "").trim();
    await expect(theme).toHaveAccessibleName(new RegExp(visible));

    const menu = page.getByTestId("consumers-export");
    await menu.locator("summary").focus();
    await page.keyboard.press("Enter");
    await expect(menu).toHaveAttribute("open", "");
    await page.keyboard.press("Escape");
    await expect(menu).not.toHaveAttribute("open", "");
    await expect(menu.locator("summary")).toBeFocused();
  });

  test("Escape closes the custom range and hands focus back to its toggle", async ({ page }) => {
    await page.goto("/consumers");
    await expect(page.getByTestId("nats-status")).toHaveText(/connected/i);

    const custom = page.getByTestId("range-custom");
    await custom.click();
    await page.getByTestId("range-from").focus();
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("range-from")).toHaveCount(0);
    await expect(custom).toBeFocused();
  });

  test("Freeze as…: opening it focuses the name field; Escape closes it and hands focus back to its toggle", async ({ page }) => {
    await page.goto("/consumers");
    await expect(page.getByTestId("nats-status")).toHaveText(/connected/i);
    const freezeAs = page.getByTestId("freeze-as");
    await freezeAs.click();
    await expect(page.getByTestId("freeze-name")).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("freeze-name")).toBeHidden();
    await expect(freezeAs).toBeFocused();
  });

  test("dark theme: the critical colour reaches 3:1 against the panel", async ({ page }) => {
    await page.addInitScript(() => localStorage.setItem("busdeck-theme", "dark"));
    await page.goto("/outcomes");
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    const ratio = await page.evaluate(() => {
      const css = getComputedStyle(document.documentElement);
      const rgb = (hex: string) =>
        hex
          .trim()
          .replace("#", "")
          .match(/../g)!
          .map((h) => parseInt(h, 16) / 255);
      const lum = (hex: string) => {
        const [r, g, b] = rgb(hex).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const [a, b] = [lum(css.getPropertyValue("--sev-critical")), lum(css.getPropertyValue("--panel"))];
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    });
    expect(ratio).toBeGreaterThanOrEqual(3);
  });
});
