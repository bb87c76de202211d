import type { Page, TestInfo } from "@playwright/test";

/** Screenshots kept as artifacts under test-results/screenshots/ so humans can look at every view. */
export async function saveScreenshot(page: Page, name: string, testInfo?: TestInfo) {
  const path = `${process.env.E2E_OUTPUT ?? "test-results"}/screenshots/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  await testInfo?.attach(name, { path, contentType: "image/png" });
  return path;
}
