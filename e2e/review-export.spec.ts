import { expect, test } from "@playwright/test";
import { saveScreenshot } from "./support/screenshots";

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
  });
});
