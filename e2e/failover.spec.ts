import { expect, test, type Page } from "@playwright/test";
import { Kvm } from "@nats-io/kv";
import { connectToAppNats } from "./support/app-nats";
import { pidListeningOn } from "./support/pids";
import { startApp, type AppHandle } from "../testing/app/app-process";
import { saveScreenshot, saveScreenshotsLightAndDark } from "../testing/app/screenshots";

test.describe("failover view on the embedded default", () => {
  test("cards show holder, lease health and the timeline rows", async ({ page }, testInfo) => {
    await page.goto("/failover");
    for (const key of ["dedup", "llm"]) {
      const card = page.getByTestId(`lock-card-${key}`);
      await expect(card.getByTestId("lock-holder")).toHaveText(new RegExp(`${key}-\\d`));
      await expect(card.getByTestId("lease-health")).toHaveText(/healthy|renew late|lease expired/i);
      await expect(card.getByTestId("renew-age")).toContainText("every 2.0s");
      // a timeline is drawn only near the viewport: other tests' singletons (hostile-input's) can push it below
      await page.getByTestId(`timeline-row-${key}`).scrollIntoViewIfNeeded();
      await expect(page.getByTestId(`timeline-${key}`)).toBeVisible();
    }
    await expect(page.getByTestId("timeline-jetstream")).toBeVisible();
    // The lease fill moves on the compositor: a width transition re-laid out and repainted the page on every
    // frame of every card's renewal (with many cards, most of the Failover page's main-thread time).
    const fill = page.getByTestId("lock-card-dedup").getByTestId("lease-bar").locator("div").first();
    expect(await fill.evaluate((el) => getComputedStyle(el).transitionProperty)).toBe("transform");
    await saveScreenshot(page, "failover", testInfo);
  });

  test("range and zoom live in the URL", async ({ page }) => {
    await page.goto("/failover");
    await page.getByRole("group", { name: "range" }).getByRole("button", { name: "6h" }).click();
    await expect(page).toHaveURL(/range=6h/);
    // Dragging across the overview zooms every timeline; the zoomed window lands in the URL.
    const overview = page.getByTestId("failover-overview").locator("svg");
    await expect(async () => {
      const box = await overview.boundingBox();
      expect(box, "the overview is laid out").not.toBeNull();
      await page.mouse.move(box!.x + 100, box!.y + box!.height / 2);
      await page.mouse.down();
      await page.mouse.move(box!.x + 500, box!.y + box!.height / 2, { steps: 8 });
      await page.mouse.up();
      await expect(page).toHaveURL(/from=.*&to=/, { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await expect(page.getByTestId("reset-zoom")).toBeVisible();
    await page.goto("/failover?from=2026-01-01T00:00:00.000Z&to=2026-01-01T01:00:00.000Z");
    await expect(page.getByTestId("reset-zoom")).toBeVisible();
    await expect(page.getByText("2026-01-01 00:00:00 UTC → 2026-01-01 01:00:00 UTC")).toBeVisible();
    await page.getByTestId("reset-zoom").click();
    await expect(page).not.toHaveURL(/from=/);
    // Focusing one singleton is in the URL too.
    await page.getByTestId("lock-card-dedup").getByRole("button", { name: "dedup" }).click();
    await expect(page).toHaveURL(/key=dedup/);
    await expect(page.getByTestId("lock-card-llm")).toHaveCount(0);
    await expect(page.getByTestId("timeline-llm")).toHaveCount(0);
  });

  test("range queries reject a bad parameter with a 400 naming it", async ({ request }) => {
    const bad = await request.get("/api/failover/timeline?from=yesterday");
    expect(bad.status()).toBe(400);
    expect((await bad.json()).reason).toMatch(/^from:/);
    const reversed = await request.get("/api/failover/failovers?from=2026-11-23T10:00:00Z&to=2026-11-23T09:00:00Z");
    expect(reversed.status()).toBe(400);
    expect((await reversed.json()).reason).toMatch(/^to:/);
  });
});

test.describe("failover view in the browser's time zone", () => {
  test.use({ timezoneId: "Asia/Kolkata" });

  test("the shell's zone switch shows the view's times in local time with the offset, and back in UTC", async ({ page }, testInfo) => {
    const stamp = (zone: string) => `\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ${zone}`;
    const liveWindow = (zone: string) => new RegExp(`^${stamp(zone)} → ${stamp(zone)} \\(1h 00m\\) · live$`);
    const zoneSwitch = page.getByTestId("range-picker").getByRole("group", { name: "time zone" });
    await page.goto("/failover");
    const windowLabel = page.getByText(/ · live$/);
    await expect(windowLabel).toHaveText(liveWindow("UTC"));
    await zoneSwitch.getByRole("button", { name: "local" }).click();
    await expect(page).toHaveURL(/tz=local/);
    await expect(windowLabel).toHaveText(liveWindow("UTC\\+05:30"));
    await saveScreenshotsLightAndDark(page, "failover-local-zone", testInfo, () =>
      expect(windowLabel).toHaveText(liveWindow("UTC\\+05:30")),
    );
    await zoneSwitch.getByRole("button", { name: "UTC" }).click();
    await expect(windowLabel).toHaveText(liveWindow("UTC"));
  });
});

test.describe("failover view under a flapping lock", () => {
  const KEY = "e2e-flap";
  const SEEDED = 2_000;
  const value = (holder: string) => JSON.stringify({ holder_id: holder, ttl_s: 6, renew_interval_s: 2 });

  /** Longest main-thread task (ms) since `start()`, from a PerformanceObserver of long tasks in the page. */
  const longTasks = {
    start: (page: Page) =>
      page.evaluate(() => {
        const w = window as unknown as { longTasks: number[] };
        w.longTasks = [];
        new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({
          type: "longtask",
          buffered: false,
        });
      }),
    read: (page: Page) => page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks),
  };

  test(`${SEEDED} transitions of one key: no long task, no false lease alarm, FLAPPING and time without a leader`, async ({
    page,
    request,
  }, testInfo) => {
    test.setTimeout(180_000);
    const nc = await connectToAppNats(request);
    const kv = await new Kvm(nc).create("locks");
    // Two replicas trading the lock: every write is a failover.
    for (let i = 0; i < SEEDED; i++) await kv.put(KEY, value(i % 2 ? "flap-b" : "flap-a"));
    let holder = SEEDED % 2 ? "flap-b" : "flap-a";
    let live = true;
    // Live: the holder renews every second and hands the lock to the other replica every third second.
    const flapping = (async () => {
      for (let tick = 1; live; tick++) {
        if (tick % 3 === 0) holder = holder === "flap-a" ? "flap-b" : "flap-a";
        await kv.put(KEY, value(holder));
        await new Promise((r) => setTimeout(r, 1_000));
      }
    })();

    try {
      await page.goto(`/failover?key=${KEY}`);
      const card = page.getByTestId(`lock-card-${KEY}`);
      await expect(card.getByTestId("lock-holder")).toHaveText(/flap-[ab]/, { timeout: 30_000 });
      await expect
        // a readiness wait, not a figure: under the whole suite's load the 2,000 writes take longer than 30 s to arrive
        .poll(async () => Number(await page.getByTestId(`timeline-${KEY}`).getAttribute("data-failovers")), { timeout: 90_000 })
        .toBeGreaterThanOrEqual(SEEDED - 1);

      await longTasks.start(page);
      const states: string[] = [];
      for (let s = 0; s < 20; s++) {
        states.push((await card.getByTestId("lease-health").textContent()) ?? "");
        await page.waitForTimeout(1_000);
      }
      const tasks = await longTasks.read(page);
      // Generous: on a 2-core machine shared with other builds a 100 ms task can stretch to ~1 s (the bench holds
      // 100 ms). The page this replaced froze for 11-14 s at a time and did not finish these 20 samples at all.
      expect(Math.max(0, ...tasks), `long tasks (ms): ${tasks.map(Math.round).join(", ")}`).toBeLessThan(1_500);
      // The lock renews every second: it is never expired, and flapping is what the card leads with.
      expect(
        states.filter((t) => /lease expired|renew late/i.test(t)),
        `lease states sampled: ${states.join(", ")}`,
      ).toEqual([]);
      expect(states.at(-1)).toMatch(/flapping/i);
      await expect(card.getByTestId("leaderless")).toHaveText(/^(?!0ms)[\d.]+(ms|s|m \d+s|h \d+m) without a leader$/);
      await expect(page.getByTestId(`timeline-row-${KEY}`).getByTestId("lane-leaderless")).toContainText("without a leader");
      await saveScreenshot(page, "failover-flapping", testInfo);

      await page.emulateMedia({ colorScheme: "dark" });
      await page.evaluate(() => localStorage.setItem("busdeck-theme", "dark"));
      await page.reload();
      await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
      await expect(card.getByTestId("lease-health")).toHaveText(/flapping/i, { timeout: 30_000 });
      await page.getByTestId(`timeline-${KEY}`).scrollIntoViewIfNeeded();
      await saveScreenshot(page, "failover-flapping-dark", testInfo);
    } finally {
      live = false;
      await flapping;
      await kv.delete(KEY);
      await nc.close();
    }
  });
});

test.describe("failover view with the fast demo (a failover every few seconds)", () => {
  let app: AppHandle;
  test.beforeAll(async () => {
    app = await startApp({ NATS_URL: "", BUSDECK_DEMO_FAST: "1", BUSDECK_DEMO_SEED: "42" });
  });
  test.afterAll(async () => {
    await app?.stop();
  });

  test("the demo's failover appears on the timeline and the card's holder changes", async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    await page.goto(`${app.baseUrl}/failover?range=15m`);
    const holder = page.getByTestId("lock-card-dedup").getByTestId("lock-holder");
    await expect(holder).toHaveText(/dedup-\d/);
    const first = await holder.textContent();
    await expect(holder).not.toHaveText(first!, { timeout: 30_000 });
    const timeline = page.getByTestId("timeline-dedup");
    await expect.poll(async () => Number(await timeline.getAttribute("data-failovers")), { timeout: 30_000 }).toBeGreaterThan(0);
    const row = page.getByTestId("transition-row").and(page.locator('[data-kind="failover"]')).first();
    await expect(row).toContainText(/dedup-\d → dedup-\d/);
    await expect(row).toContainText(/\d(\.\d)?s|\d+ms/); // the gap
    // The API reports the same failovers the view counts.
    const since = new Date(Date.now() - 15 * 60_000).toISOString();
    const body = await (await page.request.get(`${app.baseUrl}/api/failover/failovers?from=${since}`)).json();
    expect(body.singletons.find((s: { key: string }) => s.key === "dedup").failovers).toBeGreaterThan(0);
    // The fast demo fails over every few seconds: more than 5 in 5 minutes is flagged loudly on the card.
    await expect(
      page
        .getByTestId("lock-card-dedup")
        .getByTestId("alarm-flapping")
        .or(page.getByTestId("lock-card-llm").getByTestId("alarm-flapping"))
        .first(),
    ).toBeVisible({ timeout: 60_000 });
    await saveScreenshot(page, "failover-fast", testInfo);

    // Zoomed to the last 20 s (as the brush would), holder bands carry the holder's name so they read in grayscale.
    const to = Date.now();
    await page.goto(`${app.baseUrl}/failover?from=${new Date(to - 20_000).toISOString()}&to=${new Date(to).toISOString()}`);
    await expect(page.getByTestId("reset-zoom")).toBeVisible();
    await expect(
      page
        .getByTestId("timeline-dedup")
        .locator("text", { hasText: /^dedup-\d$/ })
        .first(),
    ).toBeVisible();
    await saveScreenshot(page, "failover-zoomed", testInfo);
  });
});

test.describe("failover view on a 3-node cluster (BUSDECK_CLUSTER=3)", () => {
  let app: AppHandle;
  test.beforeAll(async () => {
    app = await startApp({ NATS_URL: "", BUSDECK_CLUSTER: "3", BUSDECK_DEMO_SEED: "42" });
  });
  // Playwright requires a destructuring pattern for the fixtures, even when none is used.
  // eslint-disable-next-line no-empty-pattern
  test.afterEach(async ({}, testInfo) => {
    // A cluster run has more moving parts than the page shows: keep the server's log with a failure.
    if (testInfo.status !== testInfo.expectedStatus)
      await testInfo.attach("busdeck-output", { body: app.output().slice(-20_000), contentType: "text/plain" });
  });
  test.afterAll(async () => {
    await app?.stop();
  });

  test("killing the node that leads a stream puts the election on the timeline and the dashboard stays connected", async ({
    page,
  }, testInfo) => {
    test.setTimeout(120_000);
    await page.goto(`${app.baseUrl}/failover?range=15m`);
    // Before any fault: the demo singletons hold their locks on the R3 bucket.
    await expect(page.getByTestId("lock-card-dedup").getByTestId("lock-holder")).toHaveText(/dedup-\d/, { timeout: 30_000 });
    const leaders = page.getByTestId("leaders");
    await expect(leaders).toContainText("routing-decisions → busdeck-", { timeout: 30_000 });
    const leader = /routing-decisions → busdeck-(\d+)/.exec((await leaders.textContent()) ?? "")!;
    const pid = pidListeningOn(Number(leader[1]));
    expect(pid).not.toBeNull();
    const before = Number(await page.getByTestId("timeline-jetstream").getAttribute("data-events"));
    process.kill(pid!, "SIGKILL");

    await expect(leaders).toContainText(new RegExp(`routing-decisions → busdeck-(?!${leader[1]})\\d+`), { timeout: 30_000 });
    await expect
      .poll(async () => Number(await page.getByTestId("timeline-jetstream").getAttribute("data-events")), { timeout: 30_000 })
      .toBeGreaterThan(before);
    await expect(page.getByTestId("transition-row").and(page.locator('[data-kind="stream_leader"]')).first()).toBeVisible();
    await expect(page.getByTestId("nats-status")).toHaveText(/connected/i);
    // Not stuck: the lock watcher keeps seeing renews through the surviving nodes.
    await expect(page.getByTestId("lock-card-dedup").getByTestId("lock-holder")).toHaveText(/dedup-\d/);
    await expect(page.getByTestId("lock-card-dedup").getByTestId("lease-health")).toHaveText(/healthy/i, { timeout: 30_000 });
    await saveScreenshot(page, "failover-cluster", testInfo);
  });
});
