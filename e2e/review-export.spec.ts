import { readFile } from "node:fs/promises";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { saveScreenshot } from "./support/screenshots";

/** Width and height from a PNG's IHDR chunk (bytes 16–23, big-endian), after checking the signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Opens an "Export ▾" menu, picks a format and returns the download's name and text. */
async function exportFrom(page: Page, menu: Locator, format: "CSV" | "JSON") {
  await menu.locator("summary").click();
  const [download] = await Promise.all([page.waitForEvent("download"), menu.getByRole("menuitem", { name: format }).click()]);
  return { name: download.suggestedFilename(), text: await readFile((await download.path())!, "utf8") };
}

test.describe("incident review: time range, exports, PNG", () => {
  test("a range picked in the shell lands in the URL, survives a reload and keeps the view's filters", async ({ page }, testInfo) => {
    await page.goto("/consumers?q=consumer");
    const picker = page.getByTestId("range-picker");
    await expect(picker.getByTestId("range-active")).toHaveText(/live · view default window · times in UTC/);
    await picker.getByRole("group", { name: "time presets" }).getByRole("button", { name: "6h" }).click();
    await expect(page).toHaveURL(/[?&]range=6h/);
    await expect(page).toHaveURL(/[?&]q=consumer/);
    await expect(picker.getByTestId("range-active")).toHaveText(/last 6h/);

    // A custom fixed range, typed in UTC.
    await picker.getByTestId("range-custom").click();
    await picker.getByTestId("range-from").fill("2026-11-23T13:00:00");
    await picker.getByTestId("range-to").fill("2026-11-23T14:30:00");
    await picker.getByTestId("range-apply").click();
    await expect(page).toHaveURL(/from=2026-11-23T13%3A00%3A00.000Z&to=2026-11-23T14%3A30%3A00.000Z/);
    await expect(page).not.toHaveURL(/range=6h/);
    // A filter change in the view keeps the shell's range.
    await page.getByTestId("consumer-filter").fill("analytics");
    await expect(page).toHaveURL(/q=analytics.*from=2026-11-23T13/);

    await page.reload();
    await expect(picker.getByTestId("range-active")).toHaveText("2026-11-23 13:00:00 UTC → 2026-11-23 14:30:00 UTC (1h 30m)");
    await expect(page.getByTestId("consumer-filter")).toHaveValue("analytics");

    // The local-time toggle is in the URL too (the browser runs in UTC here, so the label names the offset).
    await picker.getByRole("group", { name: "time zone" }).getByRole("button", { name: "local" }).click();
    await expect(page).toHaveURL(/tz=local/);
    await expect(picker.getByTestId("range-active")).toHaveText(/UTC\+00:00/);
    await picker.getByRole("group", { name: "time zone" }).getByRole("button", { name: "UTC" }).click();
    await expect(page).not.toHaveURL(/tz=local/);
    await saveScreenshot(page, "review-range-picker", testInfo);
  });

  test("the consumer detail's range buttons and the shell picker are one range", async ({ page }) => {
    await page.goto("/consumers/routing-decisions/analytics-consumer?range=1h");
    await expect(page.getByRole("group", { name: "Range", exact: true }).getByRole("button", { name: "1h" })).toHaveAttribute("aria-pressed", "true");
    await page.getByRole("group", { name: "Range", exact: true }).getByRole("button", { name: "6h" }).click();
    await expect(page).toHaveURL(/range=6h/);
    await expect(page.getByTestId("range-active")).toHaveText(/last 6h/);

    // Click-drag across the lag chart sets the shared fixed range.
    const chart = page.getByTestId("consumer-lag-chart");
    await expect(chart.locator(".recharts-line path.recharts-curve").first()).toBeVisible({ timeout: 20_000 });
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await expect(page).toHaveURL(/from=.*&to=/);
    await expect(page).not.toHaveURL(/range=6h/);
    await expect(page.getByTestId("range-active")).toHaveText(/UTC → .* UTC \(/);
  });

  test("the consumers table exports as CSV and JSON: header, one row per consumer shown, filters in the name", async ({ page }) => {
    await page.goto("/consumers?q=consumer");
    await expect(page.getByTestId("consumer-row-analytics-consumer")).toBeVisible();
    const shown = Number((await page.getByTestId("consumer-count").textContent())!.split(" of ")[0]!.replace(/\D/g, ""));
    expect(shown).toBeGreaterThan(1);
    const csv = await exportFrom(page, page.getByTestId("consumers-export"), "CSV");
    expect(csv.name).toMatch(/^busdeck-consumers_q-consumer_\d{8}T\d{6}Z\.csv$/);
    const lines = csv.text.split("\r\n");
    expect(lines.at(-1)).toBe(""); // a final CRLF
    expect(lines[0]).toBe("stream,consumer,status,lag_msgs,lag_seconds,num_pending,num_ack_pending,num_redelivered,consume_per_s,ingest_per_s,drain_state,drain_seconds,evidence,sampled_at");
    expect(lines.length - 2).toBe(shown);
    const analytics = lines.find((l) => l.startsWith("routing-decisions,analytics-consumer,"));
    expect(analytics).toMatch(/^routing-decisions,analytics-consumer,(OK|WARN|STALL|STOP|ERR|REWIND),\d+,/);
    expect(analytics).toMatch(/,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const json = JSON.parse((await exportFrom(page, page.getByTestId("consumers-export"), "JSON")).text);
    expect(json.view).toBe("consumers");
    expect(json.filters.q).toBe("consumer");
    expect(json.rows.map((r: { consumer: string }) => r.consumer)).toContain("analytics-consumer");
  });

  test("a panel exports as a PNG with a caption strip, at least as wide as the panel", async ({ page }, testInfo) => {
    await page.goto("/consumers/routing-decisions/analytics-consumer?range=1h");
    const chart = page.getByTestId("consumer-lag-chart");
    await expect(chart.locator(".recharts-line path.recharts-curve").first()).toBeVisible({ timeout: 20_000 });
    const panel = page.locator("section", { has: chart });
    const box = (await panel.boundingBox())!;
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("png-consumer-lag").click()]);
    // The name carries the range resolved to UTC: the last hour, ending now.
    const m = download.suggestedFilename().match(/^busdeck-consumer-detail-lag_(\d{8}T\d{6}Z)-(\d{8}T\d{6}Z)\.png$/)!;
    expect(m).not.toBeNull();
    const utc = (s: string) => Date.parse(s.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z"));
    expect(utc(m[2]!) - utc(m[1]!)).toBe(3600_000);
    const bytes = await readFile((await download.path())!);
    const { width, height } = pngSize(bytes);
    expect(width).toBeGreaterThanOrEqual(Math.floor(box.width));
    // The caption strip (three lines) adds height below the panel.
    expect(height).toBeGreaterThan(Math.floor(box.height) + 30);
    const out = testInfo.outputPath("png-export.png");
    await download.saveAs(out);
    await download.saveAs(`${process.env.E2E_OUTPUT ?? "test-results"}/screenshots/review-png-export.png`);
    await testInfo.attach("png-export", { path: out, contentType: "image/png" });
    await saveScreenshot(page, "review-consumer-detail-range", testInfo);
  });

  test("the outcome timeline exports as a PNG too (patterned series, caption with filters)", async ({ page }, testInfo) => {
    await page.goto("/outcomes?range=1h");
    await expect(page.getByTestId("outcome-timeline").locator(".recharts-bar-rectangle").first()).toBeVisible({ timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("png-outcome-timeline").click()]);
    const bytes = await readFile((await download.path())!);
    expect(pngSize(bytes).width).toBeGreaterThan(300);
    await download.saveAs(`${process.env.E2E_OUTPUT ?? "test-results"}/screenshots/review-png-outcome-timeline.png`);
    await page.emulateMedia({ media: "print" });
    await saveScreenshot(page, "review-outcomes-print", testInfo);
  });
});
