import { expect, test, type Page } from "@playwright/test";
import { startNatsServer, type NatsServerHandle } from "../server/nats-server-process";
import { startApp, type AppHandle } from "../testing/app/app-process";
import { saveScreenshot, saveScreenshotsLightAndDark } from "../testing/app/screenshots";
import { violations } from "./support/axe";

/** A drawn line of at least `n` segments (a flat line has no height, so it is never "visible"). */
const LINE_OF = (n: number) => new RegExp(`^M[\\d.,-]+(L[\\d.,-]+){${n},}`);

const chartPoints = async (page: Page, id: string) => Number(await page.getByTestId(`server-chart-${id}`).getAttribute("data-points"));

test.describe("a bus server's page on the embedded default", () => {
  test("Servers table → a server's page: its figures, links and history charts with points", async ({ page }, testInfo) => {
    await page.goto("/bus/servers?range=15m");
    const row = page.getByTestId("bus-server-row");
    await expect(row).toHaveCount(1);
    const name = (await row.getAttribute("data-server"))!;
    await row.getByTestId("bus-server-link").click();
    // the range goes along
    await expect(page).toHaveURL(new RegExp(`/bus/servers/${encodeURIComponent(name)}\\?range=15m$`));
    await expect(page.getByTestId("bus-server-title")).toHaveText(name);
    await expect(page.getByTestId("bus-server-state")).toHaveText("UP");
    await expect(page.getByTestId("bus-server-version")).toHaveText("v2.9.10");
    await expect(page.getByTestId("bus-server-figures").getByRole("meter", { name: /^file storage / })).toBeVisible();
    for (const id of ["cpu", "memory", "connections", "slow-consumers", "msgs", "bytes", "jetstream"]) {
      const chart = page.getByTestId(`server-chart-${id}`);
      await expect.poll(async () => Number(await chart.getAttribute("data-points")), { message: `${id} chart points` }).toBeGreaterThan(2);
      await expect(chart.locator("path.recharts-line-curve").first()).toHaveAttribute("d", LINE_OF(2));
    }
    await expect(page.getByTestId("png-server-chart-cpu")).toBeVisible();
    expect(await violations(page)).toEqual([]);

    // The same figures are persisted: the history route reads them back by time (one point per step).
    const from = new Date(Date.now() - 3600_000).toISOString();
    await expect
      .poll(
        async () => {
          const res = await page.request.get(
            `/api/bus/servers/${encodeURIComponent(name)}/history?from=${from}&to=${new Date().toISOString()}`,
          );
          const body = (await res.json()) as { points: { state: string; connections: number | null }[] };
          return body.points.filter((p) => p.state === "up" && p.connections !== null).length;
        },
        { timeout: 30_000, message: "persisted points" },
      )
      .toBeGreaterThan(0);

    await saveScreenshotsLightAndDark(page, "bus-server", testInfo, async () => {
      await expect.poll(async () => Number(await page.getByTestId("server-chart-cpu").getAttribute("data-points"))).toBeGreaterThan(2);
    });
  });

  test("an unknown server is a missing resource; bad history parameters are a 400 naming them", async ({ page }) => {
    await page.goto("/bus/servers/no-such-server");
    await expect(page.getByTestId("bus-server-missing")).toContainText('No server named "no-such-server"');
    await expect(page.getByTestId("bus-server-missing").getByRole("link", { name: "see Servers" })).toBeVisible();

    const bad = await page.request.get("/api/bus/servers/x/history?range=2h");
    expect(bad.status()).toBe(400);
    expect(await bad.text()).toMatch(/range/);
    const badTime = await page.request.get("/api/bus/servers/x/history?from=yesterday&to=2026-12-07T10:00:00Z");
    expect(badTime.status()).toBe(400);
    expect(await badTime.text()).toMatch(/from/);
  });
});

test.describe("a bus server that goes down", () => {
  let home: NatsServerHandle;
  let watched: NatsServerHandle;
  let app: AppHandle;
  let name = "";
  // one history step a second, so a few seconds up leave stored points
  const env = () => ({ NATS_URL: home.url, BUSDECK_DEMO: "0", BUSDECK_MONITOR_URLS: watched.monitorUrl, BUSDECK_HISTORY_STEP_MS: "1000" });

  test.beforeAll(async () => {
    [home, watched] = await Promise.all([startNatsServer(), startNatsServer()]);
    app = await startApp(env());
  });

  test.afterAll(async () => {
    await app?.stop();
    await Promise.all([home?.stop(), watched?.stop()]);
  });

  test("reads DOWN (colour and text) with since when, its charts keeping its history up to then", async ({ page }, testInfo) => {
    await page.goto(`${app.baseUrl}/bus/servers`);
    // one row, named by the server once its VARZ answered (before that, by its monitoring URL)
    const row = page.getByTestId("bus-server-row");
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute("data-server", /^(?!http)/);
    name = (await row.getAttribute("data-server"))!;
    await row.getByTestId("bus-server-link").click();
    await expect(page.getByTestId("bus-server-state")).toHaveText("UP");
    await expect.poll(() => chartPoints(page, "cpu")).toBeGreaterThan(3);
    await watched.crash();
    const state = page.getByTestId("bus-server-state");
    await expect(state).toHaveText("DOWN", { timeout: 10_000 });
    await expect(state).toHaveClass(/pill-bad/);
    await expect(page.getByTestId("bus-server-down")).toContainText(/no answer since \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
    // the points it answered stay drawn, the span since shaded as down
    await expect(page.getByTestId("server-chart-cpu").locator(".recharts-reference-area")).toHaveCount(1);
    const drawn = await chartPoints(page, "cpu");
    expect(drawn).toBeGreaterThan(3);
    await expect(page.getByTestId("server-chart-connections").locator("path.recharts-line-curve")).toHaveAttribute("d", LINE_OF(3));
    await saveScreenshotsLightAndDark(page, "bus-server-down", testInfo, () =>
      expect(page.getByTestId("bus-server-state")).toHaveText("DOWN"),
    );
  });

  test("after busdeck restarts, a server gone before is in no sample, but its stored history still charts", async ({ page }, testInfo) => {
    expect(name).not.toBe("");
    await app.stop();
    app = await startApp(env());
    await page.goto(`${app.baseUrl}/bus/servers/${encodeURIComponent(name)}?range=15m`);
    await expect(page.getByTestId("bus-server-missing")).toContainText(`No server named "${name}"`);
    await expect(page.getByTestId("bus-server-missing")).toContainText(
      /busdeck's stored history last saw it answer at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/,
    );
    await expect.poll(() => chartPoints(page, "memory")).toBeGreaterThanOrEqual(2);
    await expect(page.getByTestId("server-chart-memory").locator("path.recharts-line-curve")).toHaveAttribute("d", LINE_OF(1));
    await expect(page.getByTestId("server-chart-memory").locator(".recharts-reference-area")).toHaveCount(1);
    await saveScreenshot(page, "bus-server-restarted-light", testInfo);
  });
});
