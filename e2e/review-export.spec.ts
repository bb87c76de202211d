import { readFile } from "node:fs/promises";
import { expect, test, type Locator, type Page, type TestInfo } from "@playwright/test";
import { jetstreamManager, AckPolicy } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { readPngText } from "../lib/review/export/png-text";
import { connectToAppNats } from "./support/app-nats";
import { saveScreenshot } from "../testing/app/screenshots";

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

type Box = { x: number; y: number; width: number; height: number };

/**
 * In the browser: the share of pixels in each page-space `area` of an exported panel PNG that differ from the
 * panel's background, 0 where nothing was drawn.
 */
async function inkedShare({ b64, panel, areas }: { b64: string; panel: Box; areas: Box[] }): Promise<number[]> {
  const img = new Image();
  img.src = `data:image/png;base64,${b64}`;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.width;
  canvas.height = img.height;
  const ctx = canvas.getContext("2d")!;
  ctx.drawImage(img, 0, 0);
  const ratio = img.width / panel.width;
  const bg = ctx.getImageData(Math.round(img.width / 2), Math.round(3 * ratio), 1, 1).data; // the panel's top padding
  return areas.map((a) => {
    const x = Math.round((a.x - panel.x) * ratio);
    const y = Math.round((a.y - panel.y) * ratio);
    const { data } = ctx.getImageData(x, y, Math.max(1, Math.round(a.width * ratio)), Math.max(1, Math.round(a.height * ratio)));
    let differing = 0;
    for (let i = 0; i < data.length; i += 4)
      if (Math.abs(data[i]! - bg[0]!) + Math.abs(data[i + 1]! - bg[1]!) + Math.abs(data[i + 2]! - bg[2]!) > 24) differing++;
    return Math.round((differing / (data.length / 4)) * 1000) / 1000;
  });
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
    await picker.getByTestId("range-from").fill("2026-11-23 13:00");
    await picker.getByTestId("range-to").fill("2026-11-23 14:30");
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

  test("the custom range is typed as a 24-hour UTC clock, says what is wrong with a typed time, and applies with Enter", async ({
    page,
  }, testInfo) => {
    await page.goto("/consumers?from=2026-11-23T21:05:00.000Z&to=2026-11-23T22:30:00.000Z");
    const picker = page.getByTestId("range-picker");
    await picker.getByTestId("range-custom").click();
    const from = picker.getByTestId("range-from");
    // The current range, shown as a 24-hour wall clock in UTC (never "09:05 PM").
    await expect(from).toHaveValue("2026-11-23 21:05");
    await expect(picker.getByTestId("range-to")).toHaveValue("2026-11-23 22:30");
    await expect(picker.locator(".rangebar-custom")).toContainText("UTC, 24-hour");

    await from.fill("11/23/2026 9:05 PM");
    await expect(picker.getByTestId("range-problem")).toHaveText("from: use YYYY-MM-DD HH:MM (24-hour)");
    await expect(from).toHaveAttribute("aria-invalid", "true");
    await expect(picker.getByTestId("range-apply")).toBeDisabled();
    await from.fill("2026-02-30 10:00");
    await expect(picker.getByTestId("range-problem")).toHaveText("from: no such date or time");
    await from.fill("2026-11-23 23:00");
    await expect(picker.getByTestId("range-problem")).toHaveText("to: must be after from");
    await saveScreenshot(page, "review-range-picker-custom-invalid", testInfo);

    // Keyboard only: type the time, Enter applies.
    await from.fill("");
    await from.pressSequentially("2026-11-23 20:00:30");
    await expect(picker.getByTestId("range-problem")).toHaveCount(0);
    await from.press("Enter");
    await expect(page).toHaveURL(/from=2026-11-23T20%3A00%3A30.000Z&to=2026-11-23T22%3A30%3A00.000Z/);

    await picker.getByTestId("range-custom").click();
    await expect(from).toHaveValue("2026-11-23 20:00:30");
    await saveScreenshot(page, "review-range-picker-custom", testInfo);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.evaluate(() => localStorage.setItem("busdeck-theme", "dark"));
    await page.reload();
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    await picker.getByTestId("range-custom").click();
    await from.fill("2026-11-23 25:00");
    await expect(picker.getByTestId("range-problem")).toHaveText("from: no such date or time");
    await saveScreenshot(page, "review-range-picker-custom-dark", testInfo);
  });

  test("the consumer detail's range buttons and the shell picker are one range", async ({ page }) => {
    await page.goto("/consumers/routing-decisions/analytics-consumer?range=1h");
    await expect(page.getByRole("group", { name: "Range", exact: true }).getByRole("button", { name: "1h" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
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
    // A comment row first: what the file is, its filters, the UTC instant of the sample, when it was made.
    expect(lines.shift()).toMatch(
      /^# busdeck consumers · filters q=consumer · range \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · generated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/,
    );
    expect(lines[0]).toBe(
      "stream,consumer,status,lag_msgs,lag_seconds,num_pending,num_ack_pending,num_redelivered,consume_per_s,ingest_per_s,drain_state,drain_seconds,evidence,sampled_at",
    );
    expect(lines.length - 2).toBe(shown);
    const analytics = lines.find((l) => l.startsWith("routing-decisions,analytics-consumer,"));
    expect(analytics).toMatch(/^routing-decisions,analytics-consumer,(OK|WARN|STALL|STOP|ERR|REWIND),\d+,/);
    expect(analytics).toMatch(/,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const json = JSON.parse((await exportFrom(page, page.getByTestId("consumers-export"), "JSON")).text);
    expect(json.filters.own).toBe("");
    expect(json.view).toBe("consumers");
    expect(json.filters.q).toBe("consumer");
    expect(json.rows.map((r: { consumer: string }) => r.consumer)).toContain("analytics-consumer");
  });

  test("busdeck's own consumers stay out of the CSV unless the table lists them, and the file says which", async ({ page, request }) => {
    const nc = await connectToAppNats(request);
    const jsm = await jetstreamManager(nc);
    await expect
      .poll(
        () =>
          jsm.streams.info("KV_busdeck_fleet").then(
            () => true,
            () => false,
          ),
        { timeout: 30_000 },
      )
      .toBe(true);
    await jsm.consumers.add("KV_busdeck_fleet", { durable_name: "e2e-own-csv", ack_policy: AckPolicy.Explicit });
    try {
      await page.goto("/consumers");
      await expect(page.getByTestId("consumers-table")).toHaveAttribute("data-rows", "live");
      const ownToggle = page.getByTestId("consumer-show-own");
      await expect(ownToggle).toBeVisible({ timeout: 30_000 });
      const hidden = await exportFrom(page, page.getByTestId("consumers-export"), "CSV");
      expect(hidden.text).not.toMatch(/\r\nKV_busdeck_fleet,/);
      expect(hidden.name).not.toContain("own-1");

      // a controlled checkbox: its state follows the URL the click writes
      await ownToggle.click();
      await expect(page).toHaveURL(/[?&]own=1/);
      await expect(page.getByTestId("consumers-table")).toContainText("e2e-own-csv");
      const shown = await exportFrom(page, page.getByTestId("consumers-export"), "CSV");
      expect(shown.text).toMatch(/\r\nKV_busdeck_fleet,e2e-own-csv,/);
      expect(shown.name).toMatch(/^busdeck-consumers_own-1_\d{8}T\d{6}Z\.csv$/);
      expect(shown.text.split("\r\n")[0]).toMatch(/^# busdeck consumers · filters own=1 · range /);
    } finally {
      await jsm.consumers.delete("KV_busdeck_fleet", "e2e-own-csv").catch(() => undefined);
      await nc.close();
    }
  });

  test("a panel exports as a PNG with a caption strip, at least as wide as the panel", async ({ page }, testInfo) => {
    await page.goto("/consumers/routing-decisions/analytics-consumer?range=1h");
    const chart = page.getByTestId("consumer-lag-chart");
    await expect(chart.locator(".recharts-line path.recharts-curve").first()).toBeVisible({ timeout: 20_000 });
    const panel = page.locator("section", { has: chart });
    const box = (await panel.boundingBox())!;
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("png-consumer-lag").click()]);
    // The name carries the range resolved to UTC: the last hour, ending now.
    // The name says which consumer the chart is about.
    const m = download
      .suggestedFilename()
      .match(/^busdeck-routing-decisions-analytics-consumer-consumer-lag_(\d{8}T\d{6}Z)-(\d{8}T\d{6}Z)\.png$/)!;
    expect(m).not.toBeNull();
    const utc = (s: string) => Date.parse(s.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z"));
    expect(utc(m[2]!) - utc(m[1]!)).toBe(3600_000);
    const bytes = await readFile((await download.path())!);
    const { width, height } = pngSize(bytes);
    expect(width).toBeGreaterThanOrEqual(Math.floor(box.width));
    // The caption strip (three lines) adds height below the panel.
    expect(height).toBeGreaterThan(Math.floor(box.height) + 30);
    // The caption, also kept as text in the file: the consumer, and the cluster (a single server is standalone).
    const caption = readPngText(bytes).Description?.split("\n") ?? [];
    expect(caption[0]).toBe("busdeck · Consumer detail — Lag · consumer routing-decisions / analytics-consumer");
    expect(caption[2]).toMatch(/^cluster standalone · server busdeck-\d+ v2\.9\.10 · generated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    // The range buttons and the PNG button are not in the picture: where they sit, the image is plain panel.
    const controls = page.getByRole("group", { name: "Range", exact: true });
    const at = (await controls.boundingBox())!;
    const png = (await page.getByTestId("png-consumer-lag").boundingBox())!;
    const inked = await page.evaluate(inkedShare, { b64: bytes.toString("base64"), panel: box, areas: [at, png] });
    expect(
      inked.every((share) => share < 0.01),
      `share of drawn pixels where the controls were: ${inked.join(", ")}`,
    ).toBe(true);
    const out = testInfo.outputPath("png-export.png");
    await download.saveAs(out);
    await download.saveAs(`${process.env.E2E_OUTPUT ?? "test-results"}/screenshots/review-png-export.png`);
    await testInfo.attach("png-export", { path: out, contentType: "image/png" });
    await saveScreenshot(page, "review-consumer-detail-range", testInfo);
  });

  /** Exports the panel behind `testId` as a PNG and returns its caption's first line; a failed export fails at once with its message. */
  const exportPng = async (page: Page, testId: string, testInfo: TestInfo) => {
    await saveScreenshot(page, `review-${testId}`, testInfo);
    const failed = page.getByText(/^PNG failed:/);
    const [outcome] = await Promise.all([
      Promise.race([page.waitForEvent("download"), failed.waitFor().then(async () => failed.textContent())]),
      page.getByTestId(testId).click(),
    ]);
    if (typeof outcome === "string" || outcome === null) throw new Error(`${testId}: ${outcome}`);
    const bytes = await readFile((await outcome.path())!);
    expect(pngSize(bytes).width, testId).toBeGreaterThan(300);
    return readPngText(bytes).Description?.split("\n")[0] ?? "";
  };

  test("where on-call lands exports a PNG with its caption: handler table, error group, outcome", async ({ page }, testInfo) => {
    test.slow(); // the demo's first error wave
    await page.goto("/outcomes");
    await expect(page.getByTestId("handler-summary").locator("tbody tr").first()).toBeVisible({ timeout: 30_000 });
    expect(await exportPng(page, "png-handlers", testInfo)).toBe("busdeck · Reflex outcomes — Handlers");
    await page.getByTestId("error-group-link").first().click({ timeout: 90_000 });
    await expect(page.getByTestId("error-group-pattern")).toBeVisible();
    const handler = decodeURIComponent(new URL(page.url()).pathname.split("/")[3]!);
    expect(await exportPng(page, "png-error-group", testInfo)).toMatch(
      new RegExp(`^busdeck · Error group — Drill-down · handler ${handler} / `),
    );
    await page.getByTestId("error-group-outcome-link").first().click();
    await expect(page).toHaveURL(/\/outcomes\/\d+/);
    expect(await exportPng(page, "png-outcome", testInfo)).toMatch(
      new RegExp(`^busdeck · Outcome — Drill-down · handler ${handler} / #\\d+$`),
    );
  });

  test("a message and the singleton cards export a PNG with their caption, a NUL in a lock value too", async ({
    page,
    request,
  }, testInfo) => {
    // A character XML cannot carry anywhere in the panel made the browser refuse the whole image.
    const nc = await connectToAppNats(request);
    try {
      await (await new Kvm(nc).create("locks")).put("png-nul", new TextEncoder().encode("\u0000 not a lock value"));
    } finally {
      await nc.close();
    }
    await page.goto("/streams/sensory-events/messages/1");
    await expect(page.getByTestId("message-headers")).toBeVisible();
    expect(await exportPng(page, "png-message", testInfo)).toMatch(
      /^busdeck · Message — Payload and headers · stream sensory-events \/ #1$/,
    );
    await page.goto("/failover");
    await expect(page.getByTestId("lock-holder").first()).toHaveText(/\S/, { timeout: 30_000 });
    await expect(page.getByTestId("lock-card-png-nul")).toBeVisible();
    expect(await exportPng(page, "png-singletons", testInfo)).toBe("busdeck · Failover — Singletons");
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
