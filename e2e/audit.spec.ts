import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { saveScreenshotsLightAndDark } from "../testing/app/screenshots";
import { startApp, type AppHandle } from "../testing/app/app-process";

/** axe-core's WCAG 2 A and AA rules, as e2e/accessibility.spec.ts runs them. */
async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test.describe("audit trail", () => {
  test("a freeze appears on /audit with who, what, the snapshot and its result; the filters live in the URL", async ({
    page,
  }, testInfo) => {
    test.slow(); // a live view frozen, then three audit reads and two themes: over a minute under the whole suite's load
    await page.goto("/streams");
    await page.getByTestId("freeze-button").click();
    const permalink = await page.getByTestId("freeze-permalink").getAttribute("href");
    const snapshotId = permalink!.replace("/s/", "");

    await page.goto("/audit?action=snapshot.create");
    const row = page.getByTestId("audit-row").filter({ hasText: snapshotId });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("local");
    await expect(row).toContainText("operator");
    await expect(row).toContainText("done · 201");
    await expect(page.getByTestId("audit-action")).toHaveValue("snapshot.create");

    await page.getByTestId("audit-action").selectOption("note.delete");
    await expect(page).toHaveURL(/[?&]action=note\.delete/);
    await expect(page.getByTestId("audit-row").filter({ hasText: snapshotId })).toHaveCount(0);

    await page.goto("/audit");
    await expect(page.getByTestId("audit-row").first()).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await saveScreenshotsLightAndDark(page, "audit", testInfo, async () => {
      await expect(page.getByTestId("audit-row").first()).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
    });
  });

  test("no API edits or deletes an audit record", async ({ request }) => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const res = await request.fetch("/api/audit", { method, headers: { "Content-Type": "application/json" }, data: "{}" });
      expect(res.status(), method).toBe(405);
    }
  });
});

test.describe("read-only deployment", () => {
  let app: AppHandle;
  test.beforeAll(async () => {
    app = await startApp({ NATS_URL: "", BUSDECK_READ_ONLY: "1" });
  });
  test.afterAll(async () => {
    await app?.stop();
  });

  test("no Freeze button or note form, and the API refuses a write with 403 naming read-only mode", async ({ page, request }) => {
    await page.goto(`${app.baseUrl}/streams`);
    await expect(page.getByTestId("read-only")).toHaveText("read-only");
    await expect(page.getByTestId("freeze-button")).toHaveCount(0);
    await page.goto(`${app.baseUrl}/annotations`);
    await expect(page.locator("h1")).toHaveText("Notes");
    await expect(page.getByTestId("annotation-form")).toHaveCount(0);

    const res = await request.post(`${app.baseUrl}/api/annotations`, {
      headers: { "Content-Type": "application/json", Origin: app.baseUrl },
      data: JSON.stringify({ text: "must be refused" }),
    });
    expect(res.status()).toBe(403);
    expect(((await res.json()) as { reason: string }).reason).toMatch(/read-only \(BUSDECK_READ_ONLY\)/);
  });
});
