import { expect, test, type Page } from "@playwright/test";
import type { AppHandle } from "../testing/app/app-process";
import { useOwnBus } from "../testing/app/own-bus";
import { saveScreenshotsLightAndDark } from "../testing/app/screenshots";
import type { OutcomeQueryResult } from "../lib/outcomes/filter";
import { violations } from "./support/axe";
import { publishOutcomes } from "./support/outcomes";

const MINUTE = 60_000;
const A = "e2e_range_a";
const B = "e2e_range_b";

/** The range's summary as the API gives it, reduced to what the panels show. */
async function rangeSummary(app: AppHandle, from: string, to: string) {
  const res = (await (await fetch(`${app.baseUrl}/api/outcomes?from=${from}&to=${to}&limit=10`)).json()) as OutcomeQueryResult;
  const stats = res.summary!.stats;
  return {
    total: stats.total,
    rolledUp: stats.history.mode === "stream" ? stats.history.rolled_up : null,
    handlers: Object.fromEntries(Object.values(stats.handlers).map((h) => [h.handler_id, [h.total, h.errored]])),
    groups: stats.groups.map((g) => [g.handler_id, g.exception, g.count]),
  };
}

async function expectOnlyA(page: Page) {
  await expect(page.getByTestId(`handler-row-${A}`)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId(`handler-row-${B}`)).toHaveCount(0);
  await expect(page.getByTestId("error-group-row").filter({ hasText: "a-broke" }).getByTestId("error-group-count")).toHaveText("4");
  await expect(page.getByTestId("error-group-row").filter({ hasText: "b-broke" })).toHaveCount(0);
  await expect(page.getByTestId("outcome-total")).toHaveText("4 outcomes in range");
  await expect(page.getByTestId("outcome-window")).toContainText("range: ");
  expect(await violations(page)).toEqual([]);
}

/**
 * Every panel follows a past range: handler A errs in one minute, handler B in a later one; the range over A's
 * minute shows A alone in the header, the handler table and the error groups — from the stored per-minute
 * rollups — and a restarted dashboard shows the same numbers for it.
 */
test.describe("reflex outcomes over a past range", () => {
  const ENV = { BUSDECK_DEMO: "0" };
  const bus = useOwnBus(ENV, async (jsm) => {
    await jsm.streams.add({ name: "REFLEX_OUTCOMES", subjects: ["reflex.outcome.>"] });
  });

  test("a range covering only handler A's errors shows A alone, and the same after a restart", async ({ page }, testInfo) => {
    test.setTimeout(180_000);
    let app = await bus.startApp();
    await expect
      .poll(async () => (await (await fetch(`${app.baseUrl}/api/topics/outcome_stats`)).json())?.history?.mode, { timeout: 30_000 })
      .toBe("stream");
    // A's errors all inside one arrival minute: not in its last seconds.
    await expect.poll(() => Date.now() % MINUTE < MINUTE - 10_000, { timeout: 15_000, intervals: [500] }).toBe(true);
    const minuteA = Math.floor(Date.now() / MINUTE) * MINUTE;
    await publishOutcomes(bus.nc, A, 4, { kind: "errored", exception: "ValueError: a-broke" });
    // B errs in a later minute.
    await expect.poll(() => Date.now() >= minuteA + MINUTE + 1_000, { timeout: 75_000, intervals: [1_000] }).toBe(true);
    await publishOutcomes(bus.nc, B, 3, { kind: "errored", exception: "KeyError: b-broke" });

    // A's whole minute plus the first 500 ms of the next (a partial minute, read raw): B's errors come after.
    const from = new Date(minuteA).toISOString();
    const to = new Date(minuteA + MINUTE + 500).toISOString();
    // Once A's minute is rolled up (closed by B's records), the summary takes it from the rollup.
    await expect.poll(async () => (await rangeSummary(app, from, to)).rolledUp, { timeout: 30_000 }).toBe(4);
    const before = await rangeSummary(app, from, to);
    expect(before).toMatchObject({ total: 4, handlers: { [A]: [4, 4] }, groups: [[A, "ValueError: a-broke", 4]] });
    expect(before.handlers[B]).toBeUndefined();

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${app.baseUrl}/outcomes?from=${from}&to=${to}`);
    await expectOnlyA(page);
    // The live view still knows B: the range, not the data, leaves it out.
    await page.goto(`${app.baseUrl}/outcomes`);
    await expect(page.getByTestId(`handler-row-${B}`)).toBeVisible({ timeout: 20_000 });
    const liveReady = () => expect(page.getByTestId("outcome-window")).toContainText("live: since ");
    await liveReady();
    await saveScreenshotsLightAndDark(page, "outcomes-live-window", testInfo, liveReady);
    await page.evaluate(() => localStorage.setItem("busdeck-theme", "light"));

    // No page holding the live stream open while the app shuts down.
    await page.goto("about:blank");
    app = await bus.startApp();
    expect(await rangeSummary(app, from, to)).toEqual(before);
    await page.goto(`${app.baseUrl}/outcomes?from=${from}&to=${to}`);
    await expectOnlyA(page);
    await saveScreenshotsLightAndDark(page, "outcomes-past-range", testInfo, () => expectOnlyA(page));
  });
});
