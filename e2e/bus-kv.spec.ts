import { expect, test, type Locator, type Page } from "@playwright/test";
import { saveScreenshot } from "../testing/app/screenshots";

/** A focusable element has the keyboard focus. */
const focused = (target: Locator) => target.evaluate((el) => el === document.activeElement);

/**
 * A keyboard user's way to `target`: Tab to the shell's "Skip to content" link and take it, then Tab until
 * `target` has the focus, then Enter.
 */
async function tabToAndEnter(page: Page, target: Locator, maxTabs = 40) {
  await page.locator("body").press("Tab");
  if (await focused(page.getByTestId("skip-link"))) await page.keyboard.press("Enter");
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press("Tab");
    if (await focused(target)) return page.keyboard.press("Enter");
  }
  throw new Error(`${target} not reached in ${maxTabs} tabs`);
}

test.describe("bus KV buckets on the embedded default", () => {
  // axe and light/dark screenshots of these pages: e2e/accessibility.spec.ts.
  test("the demo's lock bucket, one of its keys and its revisions, reached keyboard only", async ({ page }, testInfo) => {
    await page.goto("/bus/kv");
    await expect(page.getByTestId("bus-tabs").getByRole("link", { name: "KV & objects" })).toHaveAttribute("aria-current", "page");
    const locks = page.locator('[data-testid=kv-bucket-row][data-bucket="locks"]');
    await expect(locks.getByTestId("kv-locks")).toHaveText("locks");
    await expect(locks.locator("td").nth(3)).toHaveText("10"); // the demo's lock history depth
    await expect(page.locator('[data-testid=kv-bucket-row][data-bucket="busdeck_fleet"]').getByTestId("kv-internal")).toHaveText(
      "internal",
    );

    await tabToAndEnter(page, locks.getByRole("link", { name: "locks" }));
    await expect(page).toHaveURL(/\/bus\/kv\/locks$/);
    await expect(page.getByTestId("kv-locks-note")).toBeVisible();
    const key = page.locator("[data-testid=kv-key-row]").first();
    const keyName = (await key.getAttribute("data-key"))!;
    expect(["dedup", "llm"]).toContain(keyName);
    await expect(key.getByRole("link", { name: "singleton card" })).toHaveAttribute("href", `/failover?key=${keyName}`);
    // The live watch: the demo renews its locks every 2 s, so changes arrive while it is on.
    await tabToAndEnter(page, page.getByTestId("kv-watch-toggle"));
    await expect(page.getByTestId("kv-watch-toggle")).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByTestId("kv-change-row").first()).toContainText(/dedup|llm/);
    await saveScreenshot(page, "bus-kv-watch-light", testInfo);

    await tabToAndEnter(page, key.getByRole("link", { name: keyName }));
    await expect(page).toHaveURL(new RegExp(`/bus/kv/locks/${keyName}$`));
    await expect(page.getByTestId("kv-key-title")).toHaveText(keyName);
    const revisions = page.getByTestId("kv-revision-row");
    await expect.poll(() => revisions.count()).toBeGreaterThanOrEqual(2);
    await expect(revisions.first().getByTestId("kv-operation")).toHaveText(/^(PUT|DEL|PURGE)$/);
    await expect(revisions.first()).toContainText("UTC");
    await expect(page.getByTestId("kv-failover-link")).toHaveAttribute("href", `/failover?key=${keyName}`);

    // An older revision, opened from the keyboard, is the one shown whole (the demo renews a lock every 2 s and
    // keeps 10 revisions: the second newest stays listed for ~18 s). Held by its number: the list moves on.
    const olderRev = (await revisions.nth(1).getAttribute("data-revision"))!;
    const older = page.locator(`[data-testid=kv-revision-row][data-revision="${olderRev}"]`);
    await tabToAndEnter(page, older.getByTestId("kv-revision-link"));
    await expect(page).toHaveURL(new RegExp(`[?&]rev=${olderRev}$`));
    await expect(older).toHaveAttribute("aria-current", "true");
    await expect(page.getByTestId("kv-selected")).toContainText(`#${Number(olderRev).toLocaleString("en-US")}`);
  });
});
