import { expect, type Page, type TestInfo } from "@playwright/test";

/** Screenshots kept as artifacts under test-results/screenshots/ so humans can look at every view. */
export async function saveScreenshot(page: Page, name: string, testInfo?: TestInfo) {
  const path = `${process.env.E2E_OUTPUT ?? "test-results"}/screenshots/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  await testInfo?.attach(name, { path, contentType: "image/png" });
  return path;
}

/** The page as it is, then reloaded in the dark theme: `<name>-light.png` and `<name>-dark.png`. */
export async function saveScreenshotsLightAndDark(page: Page, name: string, testInfo: TestInfo, ready: () => Promise<void>) {
  await saveScreenshot(page, `${name}-light`, testInfo);
  await page.evaluate(() => localStorage.setItem("busdeck-theme", "dark"));
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await ready();
  await saveScreenshot(page, `${name}-dark`, testInfo);
}
