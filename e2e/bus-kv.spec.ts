import { expect, test, type Locator, type Page } from "@playwright/test";
import { saveScreenshotsLightAndDark } from "../testing/app/screenshots";
import { violations } from "./support/axe";

/** Presses Tab until `target` has the focus (a keyboard user's path to it), then Enter. */
async function tabToAndEnter(page: Page, target: Locator, maxTabs = 60) {
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === document.activeElement)) {
      await page.keyboard.press("Enter");
      return;
    }
  }
  throw new Error(`${target} not reached in ${maxTabs} tabs`);
}

test.describe("bus KV buckets on the embedded default", () => {
  test("the demo's lock bucket, one of its keys and its revisions, reached keyboard only", async ({ page }, testInfo) => {
    await page.goto("/bus/kv");
    await expect(page.getByTestId("bus-tabs").getByRole("link", { name: "KV & objects" })).toHaveAttribute("aria-current", "page");
    const locks = page.locator('[data-testid=kv-bucket-row][data-bucket="locks"]');
    await expect(locks.getByTestId("kv-locks")).toHaveText("locks");
    await expect(locks.locator("td").nth(3)).toHaveText("10"); // the demo's lock history depth
    const fleet = page.locator('[data-testid=kv-bucket-row][data-bucket="busdeck_fleet"]');
    await expect(fleet.getByTestId("kv-internal")).toHaveText("internal");
    expect(await violations(page)).toEqual([]);
    await saveScreenshotsLightAndDark(page, "bus-kv", testInfo, () => expect(locks).toBeVisible());

    await tabToAndEnter(page, locks.getByRole("link", { name: "locks" }));
    await expect(page).toHaveURL(/\/bus\/kv\/locks$/);
    await expect(page.getByTestId("kv-locks-note")).toBeVisible();
    const key = page.locator("[data-testid=kv-key-row]").first();
    await expect(key).toBeVisible();
    const keyName = (await key.getAttribute("data-key"))!;
    expect(["dedup", "llm"]).toContain(keyName);
    await expect(key.getByRole("link", { name: "singleton card" })).toHaveAttribute("href", `/failover?key=${keyName}`);
    await saveScreenshotsLightAndDark(page, "bus-kv-keys", testInfo, () => expect(key).toBeVisible());

    await tabToAndEnter(page, key.getByRole("link", { name: keyName }));
    await expect(page).toHaveURL(new RegExp(`/bus/kv/locks/${keyName}$`));
    await expect(page.getByTestId("kv-key-title")).toHaveText(keyName);
    const revisions = page.getByTestId("kv-revision-row");
    await expect.poll(() => revisions.count()).toBeGreaterThanOrEqual(2);
    await expect(revisions.first().getByTestId("kv-operation")).toHaveText(/^(PUT|DEL|PURGE)$/);
    await expect(revisions.first()).toContainText("UTC");
    await expect(page.getByTestId("kv-failover-link")).toHaveAttribute("href", `/failover?key=${keyName}`);
    expect(await violations(page)).toEqual([]);
    await saveScreenshotsLightAndDark(page, "bus-kv-key", testInfo, () => expect(page.getByTestId("kv-selected")).toBeVisible());

    // An older revision, opened from the keyboard, is the one shown whole (the demo renews a lock every 2 s and
    // keeps 10 revisions: the second newest stays listed for ~18 s).
    const older = revisions.nth(1);
    const olderRev = (await older.getAttribute("data-revision"))!;
    await tabToAndEnter(page, older.getByTestId("kv-revision-link"));
    await expect(page).toHaveURL(new RegExp(`[?&]rev=${olderRev}$`));
    await expect(page.locator(`[data-testid=kv-revision-row][data-revision="${olderRev}"]`)).toHaveAttribute("aria-current", "true");
    await expect(page.getByTestId("kv-selected")).toContainText(`#${Number(olderRev).toLocaleString("en-US")}`);
  });
});
