import { expect, test } from "@playwright/test";
import { startNatsServer, type NatsServerHandle } from "../server/nats-server-process";
import { startApp, type AppHandle } from "../testing/app/app-process";
import { saveScreenshotsLightAndDark } from "../testing/app/screenshots";
import { violations } from "./support/axe";

test.describe("bus servers on the embedded default", () => {
  test("the embedded server shows up with its version, connections and JetStream storage", async ({ page }, testInfo) => {
    await page.goto("/");
    await page.getByRole("navigation").getByRole("link", { name: "Bus", exact: true }).click();
    await expect(page).toHaveURL(/\/bus\/servers$/);
    const row = page.getByTestId("bus-server-row");
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute("data-state", "up");
    await expect(row.getByTestId("bus-server-state")).toHaveText("UP");
    // OK, or WARN for the slow consumers rising: the demo's slow subscriber is cut off now and then.
    const health = row.getByTestId("bus-server-health");
    await expect(health).toHaveText(/^(OK|WARN)$/);
    if ((await health.textContent()) === "WARN") {
      await expect(health).toHaveAttribute("title", "slow_consumers");
      await expect(row.getByTestId("bus-server-evidence")).toContainText("slow consumers");
    }
    await expect(row.getByTestId("bus-server-version")).toHaveText("v2.9.10");
    // busdeck's own connection and its system connection at least
    await expect
      .poll(async () => Number((await row.getByTestId("bus-server-connections").textContent())?.replace(/[^\d]/g, "")))
      .toBeGreaterThanOrEqual(2);
    const storage = row.getByTestId("bus-server-jetstream");
    await expect(storage.getByRole("meter", { name: /^file storage .+ \/ .+B$/ })).toBeVisible();
    await expect(storage.getByRole("meter", { name: /^mem storage / })).toBeVisible();
    await expect(page.getByTestId("bus-summary")).toContainText("1 server · 1 up");
    await expect(page.getByTestId("bus-summary")).toContainText("via system account");
    // the system credentials never reach the browser
    const topic = await (await page.request.get("/api/topics/bus_servers")).text();
    expect(topic).not.toMatch(/password|"sys"/i);
    expect(await violations(page)).toEqual([]);
    await saveScreenshotsLightAndDark(page, "bus-servers", testInfo, () =>
      expect(page.getByTestId("bus-server-row")).toHaveAttribute("data-state", "up"),
    );
  });

  test("other pages do not stream the bus servers snapshot", async ({ page }) => {
    const urls: string[] = [];
    page.on("request", (r) => void (r.url().includes("/api/events") && urls.push(r.url())));
    await page.goto("/streams");
    await expect.poll(() => urls.length).toBeGreaterThan(0);
    expect(urls.every((u) => !u.includes("bus_servers"))).toBe(true);
  });
});

test.describe("bus servers without system credentials or monitoring URLs", () => {
  let nats: NatsServerHandle;
  let app: AppHandle;

  test.beforeAll(async () => {
    nats = await startNatsServer();
    app = await startApp({ NATS_URL: nats.url, BUSDECK_DEMO: "0" });
  });

  test.afterAll(async () => {
    await app?.stop();
    await nats?.stop();
  });

  test("the page says exactly what to configure", async ({ page }, testInfo) => {
    await page.goto(`${app.baseUrl}/bus/servers`);
    const hint = page.getByTestId("bus-configure");
    await expect(hint).toContainText("NATS_SYSTEM_CREDS (or NATS_SYSTEM_USER and NATS_SYSTEM_PASSWORD)");
    await expect(hint).toContainText("BUSDECK_MONITOR_URLS");
    await expect(page.getByTestId("bus-servers-table")).toHaveCount(0);
    expect(await violations(page)).toEqual([]);
    await saveScreenshotsLightAndDark(page, "bus-servers-unconfigured", testInfo, () =>
      expect(page.getByTestId("bus-configure")).toBeVisible(),
    );
  });
});

test.describe("bus servers on the embedded 3-node cluster", () => {
  let app: AppHandle;

  test.beforeAll(async () => {
    app = await startApp({ NATS_URL: "", BUSDECK_CLUSTER: "3", BUSDECK_DEMO: "0" });
  });

  test.afterAll(async () => {
    await app?.stop();
  });

  test("three servers, each with its two routes up, and the meta leader named", async ({ page }, testInfo) => {
    await page.goto(`${app.baseUrl}/bus/servers`);
    const rows = page.getByTestId("bus-server-row");
    await expect(rows).toHaveCount(3);
    for (const row of await rows.all()) {
      await expect(row).toHaveAttribute("data-state", "up");
      await expect(row.getByTestId("bus-server-links")).toHaveText("routes 2/2 up");
    }
    await expect(page.getByTestId("bus-summary")).toContainText(/3 servers · 3 up · meta leader busdeck-\d+/);
    await saveScreenshotsLightAndDark(page, "bus-servers-cluster", testInfo, () =>
      expect(page.getByTestId("bus-server-row")).toHaveCount(3),
    );
  });
});
