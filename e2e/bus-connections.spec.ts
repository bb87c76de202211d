import { expect, test } from "@playwright/test";
import { saveScreenshotsLightAndDark } from "../testing/app/screenshots";
import { violations } from "./support/axe";
import { connectToAppNats } from "./support/app-nats";

test.describe("bus connections on the embedded default", () => {
  test("the Connections page lists the bus's connections live with name, account and client", async ({ page }, testInfo) => {
    await page.goto("/bus/servers");
    await page.getByTestId("bus-tabs").getByRole("link", { name: "Connections" }).click();
    await expect(page).toHaveURL(/\/bus\/connections$/);
    await expect(page.getByTestId("bus-tabs").getByRole("link", { name: "Connections" })).toHaveAttribute("aria-current", "page");
    const rows = page.getByTestId("bus-connection-row");
    // busdeck's own connections wait behind "show internal"
    await expect(page.getByTestId("bus-connections-show-internal-label")).toHaveText(/^Show internal \([1-9]\d* hidden\)$/);
    await expect(rows.filter({ has: page.getByTestId("bus-connection-kind") })).toHaveCount(0);
    await page.getByTestId("bus-connections-show-internal").click();
    await expect(page).toHaveURL(/[?&]own=1/);
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    // busdeck's own connection, in the demo's account, with its client library (not its system-account one, which
    // may have the lower connection id and so sort first among equal pending bytes)
    const own = rows
      .filter({ has: page.locator("[data-testid=bus-connection-kind][data-kind=internal]") })
      .filter({ hasNotText: "(system)" })
      .first();
    await expect(own).toHaveAttribute("data-name", /^busdeck /);
    await expect(own).toContainText("APP");
    await expect(own).toContainText("nats.js");
    await expect(page.getByTestId("bus-connections-summary")).toContainText(/\d+ open on 1 server/);
    expect(await violations(page)).toEqual([]);
    // the address carries the toggle: a reload (into the dark theme) lists them still
    await saveScreenshotsLightAndDark(page, "bus-connections-internal-shown", testInfo, () => expect(own).toBeVisible());
  });

  test("the demo's slow subscriber shows as a Slow Consumer closed connection with its name", async ({ page }, testInfo) => {
    await page.goto("/bus/connections");
    const client = page.locator('[data-testid=bus-slow-consumer][data-client="demo-slow-subscriber"]');
    // The demo cuts it off within seconds of starting (the server's write deadline is 10 s).
    await expect(client).toBeVisible({ timeout: 60_000 });
    await expect(client.getByTestId("bus-slow-consumer-count")).not.toHaveText("0");
    await expect(client).toContainText(/UTC/);
    await page.getByTestId("bus-connections-list-slow").click();
    await expect(page).toHaveURL(/[?&]view=slow/);
    const row = page.locator('[data-testid=bus-connection-row][data-name="demo-slow-subscriber"]').first();
    await expect(row.getByTestId("bus-connection-reason")).toHaveText(/^Slow Consumer \((Write Deadline|Pending Bytes)\)$/);
    expect(await violations(page)).toEqual([]);
    await saveScreenshotsLightAndDark(page, "bus-connections-slow", testInfo, () => expect(row).toBeVisible());
  });

  test("filter and sort live in the URL and survive a reload", async ({ page }, testInfo) => {
    // busdeck's own connections listed too (show internal)
    await page.goto("/bus/connections?own=1");
    const rows = page.getByTestId("bus-connection-row");
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    // The demo's account: busdeck's connections and the demo's publisher, not the system account's.
    await page.getByTestId("bus-connections-filter").fill("APP");
    await expect(page).toHaveURL(/[?&]q=APP/);
    await page.getByTestId("bus-connections-sort-subs").click();
    await expect(page).toHaveURL(/[?&]sort=subs/);
    await page.reload();
    await expect(page.getByTestId("bus-connections-filter")).toHaveValue("APP");
    const subsHeader = page.getByRole("columnheader", { name: /Subs/ });
    await expect(subsHeader).toHaveAttribute("aria-sort", "descending");
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    const accounts = await rows.evaluateAll((els) => els.map((e) => e.children[2]?.textContent));
    expect(new Set(accounts)).toEqual(new Set(["APP"]));
    // Sorted by subscriptions, most first.
    const subs = await rows.evaluateAll((els) => els.map((e) => Number(e.children[7]?.textContent?.replace(/[^\d]/g, ""))));
    expect(subs).toEqual([...subs].sort((a, b) => b - a));
    await page.getByTestId("bus-connections-filter").fill("");
    await saveScreenshotsLightAndDark(page, "bus-connections", testInfo, () => expect(rows.first()).toBeVisible());
  });

  test("a connection opened while the page is open appears live, and once closed is listed closed", async ({ page, request }) => {
    await page.goto("/bus/connections?own=1");
    const rows = page.getByTestId("bus-connection-row");
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    const name = `e2e-live-${Date.now()}`;
    const row = page.locator(`[data-testid=bus-connection-row][data-name="${name}"]`);
    const nc = await connectToAppNats(request, { name });
    try {
      await expect(row).toBeVisible({ timeout: 15_000 });
      await expect(row).toContainText("nats.js");
    } finally {
      await nc.close();
    }
    await expect(row).toHaveCount(0, { timeout: 15_000 });
    await page.getByTestId("bus-connections-filter").fill(name);
    await page.getByTestId("bus-connections-list-closed").click();
    await expect(page).toHaveURL(/[?&]view=closed/);
    await expect(row.getByTestId("bus-connection-reason")).toHaveText("Client Closed", { timeout: 15_000 });
  });

  test("the connections stream sends the rows once, then only what changed", async ({ page }) => {
    await page.goto("/bus/servers");
    // A second stream of the page's own, read raw: the hub's frames for the topic, in order.
    const frames = await page.evaluate(
      () =>
        new Promise<{ type: string; rows: number }[]>((resolve) => {
          const seen: { type: string; rows: number }[] = [];
          const es = new EventSource("/api/events?topics=bus_connections");
          es.onmessage = (m) => {
            const e = JSON.parse(m.data) as { type: string; topic?: string; packed?: { rows: unknown[] } };
            if (e.topic !== "bus_connections") return;
            seen.push({ type: e.type, rows: e.packed?.rows.length ?? -1 });
            if (seen.length < 3) return;
            es.close();
            resolve(seen);
          };
        }),
    );
    expect(frames[0]).toMatchObject({ type: "state" });
    expect(frames[0]!.rows).toBeGreaterThanOrEqual(2);
    expect(frames.slice(1).map((f) => f.type)).toEqual(["state_patch", "state_patch"]);
  });

  test("only the Connections page streams the connections", async ({ page }) => {
    const urls: string[] = [];
    page.on("request", (r) => void (r.url().includes("/api/events") && urls.push(r.url())));
    await page.goto("/bus/servers");
    await expect.poll(() => urls.length).toBeGreaterThan(0);
    expect(urls.every((u) => !u.includes("bus_connections"))).toBe(true);
  });
});
