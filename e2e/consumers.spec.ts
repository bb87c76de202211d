import { expect, test, type Page } from "@playwright/test";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { ConsumerRow, ConsumerRowsMeta, ConsumersMeta } from "../lib/consumers/types";
import { connectToAppNats } from "./support/app-nats";
import { axisTickProblems } from "./support/chart-ticks";
import { saveScreenshot, saveScreenshotsLightAndDark } from "../testing/app/screenshots";
import { readCount, readShownOfTotal } from "./support/read-count";

/**
 * Watches the detail page's lag card and its chart's last point in the page, on every DOM change, until the card
 * has shown `values` lag values after the one showing when the watch began; counts those the chart never matched
 * while the card showed them.
 */
function watchCardAgainstChart(page: Page, values: number, timeoutMs = 30_000) {
  return page.evaluate(
    ({ values, timeoutMs }) =>
      new Promise<{ values: number; missed: number }>((resolve) => {
        let shown: string | null = null;
        let matched = false;
        let seen = 0;
        let missed = 0;
        const check = () => {
          const card = document.querySelector('[data-testid="detail-lag-msgs"]')?.textContent?.replace(/[^\d]/g, "") ?? "";
          const last = document.querySelector('[data-testid="consumer-lag-chart"]')?.getAttribute("data-last-lag") ?? "";
          if (card !== shown) {
            if (shown !== null && seen++ > 0 && !matched) missed++;
            shown = card;
            matched = false;
          }
          if (card === last) matched = true;
          if (seen >= values) done();
        };
        const observer = new MutationObserver(check);
        const timer = setTimeout(() => done(), timeoutMs);
        const done = () => {
          observer.disconnect();
          clearTimeout(timer);
          resolve({ values: seen, missed });
        };
        observer.observe(document.body, {
          subtree: true,
          childList: true,
          characterData: true,
          attributes: true,
          attributeFilter: ["data-last-lag"],
        });
        check();
      }),
    { values, timeoutMs },
  );
}

test.describe("consumer lag view on the embedded demo", () => {
  // A backlog nobody pulls, set up first so that by the file's last test its row has long been steady: the ack
  // floor and the oldest message stay, so the server keeps the row itself sample after sample and only its lag
  // seconds (derived from oldest_at) move on.
  test.beforeAll(async ({ request }) => {
    const nc = await connectToAppNats(request);
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.delete("E2E_STUCK").catch(() => undefined);
      await jsm.streams.add({ name: "E2E_STUCK", subjects: ["e2e.stuck.>"] });
      await jetstream(nc).publish("e2e.stuck.one", "waiting");
      await jsm.consumers.add("E2E_STUCK", { durable_name: "never-pulled", ack_policy: AckPolicy.Explicit });
      // One on busdeck's own sampler-lock bucket too, never pulled either: it must raise no alarm.
      await expect
        .poll(
          () =>
            jsm.streams.info("KV_busdeck_fleet").then(
              () => true,
              () => false,
            ),
          { timeout: 30_000 },
        )
        .toBe(true);
      await jsm.consumers.add("KV_busdeck_fleet", { durable_name: "e2e-own-unread", ack_policy: AckPolicy.Explicit });
    } finally {
      await nc.close();
    }
  });

  // gone again for the files after this one, which count streams and consumers
  test.afterAll(async ({ request }) => {
    const nc = await connectToAppNats(request);
    await (await jetstreamManager(nc)).streams.delete("E2E_STUCK").catch(() => undefined);
    await nc.close();
  });

  test("the lagging analytics-consumer shows WARN or worse, with lag in messages and seconds", async ({ page }, testInfo) => {
    await page.goto("/consumers");
    const row = page.getByTestId("consumer-row-analytics-consumer");
    await expect(row).toBeVisible();
    // The window needs a few samples before it gives a verdict; then the falling-behind consumer must not read OK.
    await expect(row.getByTestId("consumer-status")).toHaveText(/^(WARN|STALL|STOP|ERR)$/, { timeout: 40_000 });
    await expect(row.getByTestId("consumer-lag-seconds")).toHaveText(/\d/);
    expect(await readCount(row.getByTestId("consumer-lag").textContent())).toBeGreaterThan(0);
    await expect(page.getByTestId("summary-pending")).not.toHaveText("0");
    await saveScreenshot(page, "consumers-table", testInfo);
  });

  test("the server renders the first screen of the table into the page, and the table exports as a PNG", async ({ page, request }) => {
    // The HTML alone, no scripts: the table is there at first paint, before the live stream delivers.
    const html = await (await request.get("/consumers?q=analytics")).text();
    expect(html).toContain('data-testid="consumer-row-analytics-consumer"');
    expect(html).not.toContain('data-testid="consumer-row-api-consumer"');
    expect(html).toContain('data-rows="first-screen"');
    const errors: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto("/consumers");
    await expect(page.getByTestId("consumer-row-analytics-consumer")).toBeVisible();
    // then the live stream's rows replace the server's first screen
    await expect(page.getByTestId("consumers-table")).toHaveAttribute("data-rows", "live");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("png-consumers").click()]);
    expect(download.suggestedFilename()).toMatch(/^busdeck-consumer-lag-consumers_\d{8}T\d{6}Z-\d{8}T\d{6}Z\.png$/);
    // the first screen and the live rows that replace it hydrate without a mismatch
    expect(errors.filter((e) => /hydrat/i.test(e))).toEqual([]);
  });

  test("sort and filters live in the URL and survive a reload", async ({ page }) => {
    await page.goto("/consumers");
    await expect(page.getByTestId("consumer-row-api-consumer")).toBeVisible();
    await page.getByTestId("consumer-filter").fill("analytics");
    await expect(page).toHaveURL(/[?&]q=analytics/);
    await expect(page.getByTestId("consumer-row-api-consumer")).toHaveCount(0);
    await page.getByTestId("sort-lag_msgs").click();
    await expect(page).toHaveURL(/sort=lag_msgs/);
    await page.reload();
    await expect(page.getByTestId("consumer-filter")).toHaveValue("analytics");
    await expect(page.getByTestId("consumer-row-analytics-consumer")).toBeVisible();
    await expect(page.getByTestId("consumer-row-api-consumer")).toHaveCount(0);
  });

  test("two filter changes in one task both reach the address", async ({ page }) => {
    await page.goto("/consumers");
    await expect(page.getByTestId("consumer-row-api-consumer")).toBeVisible();
    // Both clicks run before React renders: the second must build on the first, not on the last render's state.
    await page.evaluate(() => {
      (document.querySelector('[data-testid="sort-lag_msgs"]') as HTMLElement).click();
      const status = [...document.querySelectorAll("button[aria-pressed]")].find((b) => b.textContent === "WARN") as HTMLElement;
      status.click();
    });
    await expect(page).toHaveURL(/sort=lag_msgs/);
    await expect(page).toHaveURL(/status=WARN/);
  });

  test("the detail page charts a rising lag and links the message it is stuck on", async ({ page, request }, testInfo) => {
    // by name: worst-first order moves rows as samples come in, and a row can move between finding its link and the click
    await page.goto("/consumers?sort=name&dir=asc");
    await page.getByTestId("consumer-row-analytics-consumer").getByRole("link", { name: "analytics-consumer" }).click();
    await expect(page).toHaveURL(/\/consumers\/routing-decisions\/analytics-consumer$/);
    await expect(page.getByTestId("consumer-detail-name")).toHaveText("analytics-consumer");
    const chart = page.getByTestId("consumer-lag-chart");
    await expect(chart.locator(".recharts-line path.recharts-curve").first()).toBeVisible({ timeout: 20_000 });
    // Rising: the lag the page reports keeps growing while we watch. The demo's routing traffic has quiet
    // phases, so the test adds its own on top (the consumer under-runs it by design).
    const nc = await connectToAppNats(request);
    let n = 0;
    const traffic = setInterval(() => {
      for (let i = 0; i < 10; i++) nc.publish("routing.model.selected", JSON.stringify({ e2e_lag: ++n }));
    }, 200);
    try {
      const lag = page.getByTestId("detail-lag-msgs");
      const first = await readCount(lag.textContent());
      await expect.poll(async () => readCount(lag.textContent()), { timeout: 20_000 }).toBeGreaterThan(first);
      // The chart follows the card: every lag the card shows is the chart's last point before the next sample
      // replaces it. Polled every 2 s instead, the chart caught about every other sample.
      const { values, missed } = await watchCardAgainstChart(page, 10);
      expect(values, "lag values the card showed while watched").toBeGreaterThanOrEqual(10);
      expect(missed, "card values the chart never showed").toBeLessThanOrEqual(1);
    } finally {
      clearInterval(traffic);
      await nc.close();
    }
    const stuck = page.getByTestId("consumer-stuck-link");
    await expect(stuck).toHaveAttribute("href", /^\/streams\/routing-decisions\/messages\/\d+\?consumer=analytics-consumer$/);
    // "stuck" only for a consumer whose ack floor stands still; one that is behind but moving is working on it
    const status = await page.getByTestId("consumer-detail-status").textContent();
    await expect(stuck).toHaveText(
      new RegExp(`^${/STALL|STOP/.test(status ?? "") ? "Stuck on" : "Oldest unprocessed:"} routing-decisions #[\\d,]+ →$`),
    );
    await expect(page.getByTestId("consumer-diagnosis")).toContainText(/consume .* vs ingest/);
    await saveScreenshot(page, "consumer-detail", testInfo);
  });

  test("busdeck's own and the ephemeral (oc_…) consumers wait behind 'show internal', which counts them and stays in the URL", async ({
    page,
    request,
  }, testInfo) => {
    const rows = async () =>
      (await (await request.get("/api/topics/consumer_rows")).json()) as { meta: ConsumerRowsMeta; items: ConsumerRow[] };
    // the KV watchers' ordered consumers on the demo's lock buckets, and one durable on busdeck's own fleet bucket
    await expect
      .poll(async () => (await rows()).items.some((c) => c.name.startsWith("oc_") && c.config.durable === false), { timeout: 20_000 })
      .toBe(true);
    await expect.poll(async () => (await rows()).items.some((c) => c.name === "e2e-own-unread"), { timeout: 20_000 }).toBe(true);
    await page.goto("/consumers");
    await expect(page.getByTestId("consumers-table")).toHaveAttribute("data-rows", "live");
    await expect(page.getByTestId("consumer-row-never-pulled")).toBeVisible();
    const ephemeralRows = page
      .locator("[data-testid^=consumer-row-oc_]")
      .filter({ has: page.locator("[data-testid=consumer-kind][data-kind=ephemeral]") });
    const label = page.getByTestId("consumer-show-own-label");
    await expect(label).toHaveText(/^Show internal \([1-9][\d,]* hidden\)$/);
    await expect(page.locator("[data-testid^=consumer-row-oc_]")).toHaveCount(0);
    await expect(page.getByTestId("consumer-row-e2e-own-unread")).toHaveCount(0);
    await expect(page.getByTestId("consumer-kind")).toHaveCount(0);
    const { shown, total } = await readShownOfTotal(page.getByTestId("consumer-count").textContent());

    const toggle = page.getByTestId("consumer-show-own");
    await toggle.click();
    await expect(page).toHaveURL(/[?&]own=1/);
    await expect(toggle).toBeChecked();
    await expect(label).toHaveText(/^Show internal \([1-9][\d,]* shown\)$/);
    await expect(ephemeralRows.first()).toBeVisible();
    await expect(ephemeralRows.first().getByTestId("consumer-kind")).toHaveText("ephemeral");
    await expect(
      page
        .locator("[data-testid^=consumer-row-oc_]")
        .filter({ has: page.locator("[data-testid=consumer-kind][data-kind=internal]") })
        .first(),
    ).toBeVisible();
    // the list grew by the rows the toggle counted
    const after = await readShownOfTotal(page.getByTestId("consumer-count").textContent());
    expect(after.total).toBeGreaterThan(total);
    expect(after.shown).toBeGreaterThan(shown);
    // the address carries the toggle: a reload (into the dark theme) lists them still
    await saveScreenshotsLightAndDark(page, "consumers-internal-shown", testInfo, async () => {
      await expect(toggle).toBeChecked();
      await expect(ephemeralRows.first()).toBeVisible();
    });

    await page.getByTestId("consumer-filter").fill("e2e-own");
    const ownRow = page.getByTestId("consumer-row-e2e-own-unread");
    await expect(ownRow).toBeVisible();
    // listed, but never in an alarm colour: its status reads neutral and the row says whose it is
    await expect(ownRow.getByTestId("consumer-status")).toHaveClass(/\bpill-neutral\b/);
    await expect(ownRow.getByTestId("consumer-kind")).toHaveText("internal");
  });

  test("/metrics exports lag seconds and health per consumer", async ({ request }) => {
    await expect
      .poll(
        async () =>
          (await (await request.get("/metrics")).text()).match(
            /^busdeck_consumer_lag_seconds\{stream="routing-decisions",consumer="analytics-consumer"\} [\d.e+]+$/m,
          )?.[0] ?? "",
        { timeout: 20_000 },
      )
      .not.toBe("");
    const text = await (await request.get("/metrics")).text();
    expect(text).toMatch(
      /^busdeck_consumer_health_status\{stream="routing-decisions",consumer="analytics-consumer",status="(OK|WARN|STALL|STOP|REWIND|ERR)"\} 1$/m,
    );
    expect(text).toMatch(/^busdeck_consumer_lag_messages\{stream="routing-decisions",consumer="api-consumer"\} \d+$/m);
  });

  test("the history route rejects a bad range naming the parameter", async ({ request }) => {
    const res = await request.get("/api/consumers/routing-decisions/analytics-consumer/history?range=3y");
    expect(res.status()).toBe(400);
    expect((await res.json()).reason).toMatch(/^range/);
  });

  test("/api/topics/consumer_rows gives a stuck consumer's lag seconds as of the latest sample", async ({ request }) => {
    const stuckRow = async () => {
      const state = (await (await request.get("/api/topics/consumer_rows")).json()) as { meta: ConsumersMeta; items: ConsumerRow[] };
      const row = state.items.find((r) => r.stream === "E2E_STUCK" && r.name === "never-pulled");
      return { sampledAt: Date.parse(state.meta.sampled_at ?? ""), insight: row?.insight };
    };
    // steady: a full window that says STALL and a full sparkline (until then the row changes every sample anyway).
    // The sparkline fills one point a sample from the file's start: on a busy machine that alone nears a minute.
    test.slow();
    await expect
      .poll(
        async () => {
          const i = (await stuckRow()).insight;
          return i?.health.rule === "ack_floor_stuck" && i.spark.length >= 30 && i.oldest_at != null;
        },
        { timeout: 120_000 },
      )
      .toBe(true);
    const first = await stuckRow();
    let later = first;
    await expect.poll(async () => (later = await stuckRow()).sampledAt, { timeout: 20_000 }).toBeGreaterThan(first.sampledAt + 2_000);
    expect(later.insight!.oldest_at).toBe(first.insight!.oldest_at);
    for (const { sampledAt, insight } of [first, later])
      expect(insight!.lag_seconds).toBe(Math.max(0, Math.round(sampledAt - insight!.oldest_at!)) / 1000);
    expect(later.insight!.lag_seconds! - first.insight!.lag_seconds!).toBeGreaterThan(2);
  });

  test("the detail header's data pill is a status that says the data is live and how old the sample is", async ({ page }) => {
    await page.goto("/consumers/routing-decisions/analytics-consumer");
    const pill = page.getByRole("status").getByTestId("snapshot-freshness");
    await expect(pill).toHaveText(/^data live · sampled \d+s ago$/);
    await expect(pill).toHaveClass(/\bpill-ok\b/);
  });

  test("the charts' axis labels stay inside the charts on one line, with lag in millions and minutes, ingest in tens of thousands per second", async ({
    page,
    request,
  }, testInfo) => {
    test.setTimeout(150_000);
    // a burst nobody pulls: lag past a million ("1,200,000" on the lag axis), ingest in the tens of thousands a second
    const nc = await connectToAppNats(request);
    try {
      for (let i = 0; i < 1_100_000; i++) {
        nc.publish("e2e.stuck.burst", "x");
        if (i % 50_000 === 0) await nc.flush();
      }
      await nc.flush();
    } finally {
      await nc.close();
    }
    await page.goto("/consumers/E2E_STUCK/never-pulled");
    const chart = page.getByTestId("consumer-lag-chart");
    const rates = page.locator("section", { has: page.getByRole("heading", { name: /Consume vs ingest rate/ }) });
    await expect(rates.locator(".recharts-cartesian-axis-tick-value", { hasText: /^\d+,\d{3},?\d*\/s$/ }).first()).toBeVisible({
      timeout: 30_000,
    });
    expect(await axisTickProblems(rates)).toEqual([]);
    // the never-pulled message ages from the file's start: its seconds axis comes to minute labels ("1m 30s")
    const minuteTick = () =>
      expect(chart.locator(".recharts-cartesian-axis-tick-value", { hasText: /^\d+m(?!s)/ }).first()).toBeVisible({ timeout: 120_000 });
    await minuteTick();
    expect(await axisTickProblems(chart)).toEqual([]);
    await saveScreenshotsLightAndDark(page, "consumer-detail-minutes", testInfo, minuteTick);
    expect(await axisTickProblems(chart)).toEqual([]);
  });
});
