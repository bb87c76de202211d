import { AckPolicy, jetstream } from "@nats-io/jetstream";
import { expect, test } from "@playwright/test";
import { useOwnBus } from "../testing/app/own-bus";
import { saveScreenshot } from "../testing/app/screenshots";

/**
 * A past range survives a dashboard restart. One busdeck samples a growing backlog and persists it;
 * a new busdeck, started after the first has gone, draws the same range on the consumer and stream detail
 * charts from the persisted history alone (its in-memory window begins after that range ends).
 */
test.describe("persisted history across a restart", () => {
  const ENV = { BUSDECK_DEMO: "0", BUSDECK_SAMPLE_INTERVAL_MS: "500", BUSDECK_HISTORY_STEP_MS: "1000", BUSDECK_FLEET_LEASE_MS: "1500" };
  const bus = useOwnBus(ENV, async (jsm) => {
    await jsm.streams.add({ name: "orders", subjects: ["orders.>"] });
    await jsm.consumers.add("orders", { durable_name: "billing", ack_policy: AckPolicy.Explicit });
  });

  test("a range recorded before the restart is drawn by the new dashboard", async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    const from = new Date(Date.now() - 1_000).toISOString();
    let app = await bus.startApp();
    // a backlog that grows for a while: the lag chart rises
    const js = jetstream(bus.nc);
    for (let i = 0; i < 40; i++) {
      await js.publish("orders.created", JSON.stringify({ i }));
      await new Promise((r) => setTimeout(r, 200));
    }
    const to = new Date().toISOString();
    const api = (base: string, until = to) => `${base}/api/consumers/orders/billing/history?from=${from}&to=${until}`;
    // Steps are written in order as they close: once one after `to` is stored, every step before it is.
    await expect
      .poll(
        async () =>
          ((await (await fetch(api(app.baseUrl, new Date(Date.now() + 60_000).toISOString()))).json()).points as { t: number }[]).some(
            (p) => p.t >= Date.parse(to),
          ),
        { timeout: 20_000 },
      )
      .toBe(true);
    const before = await (await fetch(api(app.baseUrl))).json();
    expect(before.points.length).toBeGreaterThanOrEqual(6);
    // the first dashboard stops before the second starts
    app = await bus.startApp();
    const after = await (await fetch(api(app.baseUrl))).json();
    expect(after.points).toEqual(before.points);
    expect(after.points.at(-1).lag_msgs).toBeGreaterThan(after.points[0].lag_msgs);

    await page.goto(`${app.baseUrl}/consumers/orders/billing?from=${from}&to=${to}`);
    const chart = page.getByTestId("consumer-lag-chart");
    await expect(chart.locator(".recharts-line-curve, .recharts-area-curve").first()).toBeVisible({ timeout: 20_000 });
    await expect(chart).not.toContainText("Collecting samples");
    // The status history of a range older than this process is read back from the stored per-step status.
    expect(after.points.some((p: { status: string | null }) => p.status !== null)).toBe(true);
    await expect(page.getByTestId("consumer-status-history").locator("td.mono", { hasText: "history" }).first()).toBeVisible();
    await saveScreenshot(page, "history-consumer-after-restart", testInfo);

    await page.goto(`${app.baseUrl}/streams/orders?from=${from}&to=${to}`);
    const rates = page.getByTestId("rate-chart");
    // Drawn: a path through at least two points. Not toBeVisible: the publisher's steady 5 msgs/s can draw a flat
    // line, whose box has no height, and Playwright calls an empty box hidden (CI failed on exactly that).
    await expect(rates.locator(".recharts-line-curve, .recharts-area-curve").first()).toHaveAttribute("d", /^M[^MLC]+[LC]/, {
      timeout: 20_000,
    });
    await saveScreenshot(page, "history-stream-after-restart", testInfo);

    // a bad range is a 400 naming the parameter
    const bad = await fetch(`${app.baseUrl}/api/streams/orders/history?from=yesterday&to=${to}`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).reason).toMatch(/^from: /);
    const missing = await fetch(`${app.baseUrl}/api/consumers/orders/billing/history?from=${from}`);
    expect(missing.status).toBe(400);
    expect((await missing.json()).reason).toMatch(/^to: /);
  });
});
