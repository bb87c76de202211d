import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import type { NatsConnection } from "@nats-io/nats-core";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connectToAppNats } from "./support/app-nats";
import { publishOutcomes } from "./support/outcomes";
import { saveScreenshot } from "../testing/app/screenshots";
import { fingerprint } from "../lib/outcomes/fingerprint";

const useDark = (page: Page) => page.addInitScript(() => localStorage.setItem("busdeck-theme", "dark"));

test.describe("the time window follows drill-downs, one range for bar and chart", () => {
  test("a consumer opened from /consumers?range=1h keeps 1h in its URL, bar and chart; a chart button moves all three", async ({
    page,
  }) => {
    await page.goto("/consumers?range=1h");
    const row = page.getByTestId("consumer-row-analytics-consumer");
    await row.getByRole("link", { name: "analytics-consumer" }).click();
    await expect(page).toHaveURL(/\/consumers\/[^/]+\/analytics-consumer\?range=1h$/);

    const picker = page.getByTestId("range-picker");
    const chartRange = page.getByRole("group", { name: "Range" });
    await expect(picker.getByTestId("range-active")).toHaveText(/live · last 1h/);
    await expect(picker.getByRole("button", { name: "1h" })).toHaveAttribute("aria-pressed", "true");
    await expect(chartRange.getByRole("button", { name: "1h" })).toHaveAttribute("aria-pressed", "true");

    await chartRange.getByRole("button", { name: "6h" }).click();
    await expect(page).toHaveURL(/\?range=6h$/);
    await expect(picker.getByTestId("range-active")).toHaveText(/live · last 6h/);
    await expect(picker.getByRole("button", { name: "6h" })).toHaveAttribute("aria-pressed", "true");
    await expect(chartRange.getByRole("button", { name: "1h" })).toHaveAttribute("aria-pressed", "false");

    // The crumbs back to the list keep the window too.
    await page.getByRole("link", { name: "Consumers" }).first().click();
    await expect(page).toHaveURL(/\/consumers\?range=6h$/);
  });

  test("with no range picked, the bar names the window the consumer's chart shows", async ({ page }, testInfo) => {
    await page.goto("/consumers");
    await page.getByTestId("consumer-row-analytics-consumer").getByRole("link", { name: "analytics-consumer" }).click();
    await expect(page).toHaveURL(/\/consumers\/[^/]+\/analytics-consumer$/);
    await expect(page.getByTestId("range-active")).toHaveText(/live · last 15m \(view default\)/);
    await expect(page.getByRole("group", { name: "Range" }).getByRole("button", { name: "15m" })).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByTestId("consumer-lag-chart").locator(".recharts-surface").first()).toBeVisible();
    await saveScreenshot(page, "consumer-detail-range-light", testInfo);
  });

  test("consumer detail reads in the dark theme", async ({ page }, testInfo) => {
    await useDark(page);
    await page.goto("/consumers?range=1h");
    await page.getByTestId("consumer-row-analytics-consumer").getByRole("link", { name: "analytics-consumer" }).click();
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    await expect(page.getByTestId("consumer-lag-chart").locator(".recharts-surface").first()).toBeVisible();
    await saveScreenshot(page, "consumer-detail-range-dark", testInfo);
  });
});

const STREAM = "E2E_ORDER";
const NAMES = ["e2e-order-a", "e2e-order-b", "e2e-order-c"] as const;

test.describe("live consumer rows hold still under the reader", () => {
  test.beforeAll(async ({ request }) => {
    const nc = await connectToAppNats(request);
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.delete(STREAM).catch(() => undefined);
      await jsm.streams.add({ name: STREAM, subjects: ["e2e.order.>"] });
      for (const name of NAMES)
        await jsm.consumers.add(STREAM, {
          durable_name: name,
          ack_policy: AckPolicy.Explicit,
          filter_subject: `e2e.order.${name.slice(-1)}`,
        });
      await publish(request, { a: 3, b: 2, c: 1 });
    } finally {
      await nc.close();
    }
  });

  test.afterAll(async ({ request }) => {
    const nc = await connectToAppNats(request);
    await (await jetstreamManager(nc)).streams.delete(STREAM).catch(() => undefined);
    await nc.close();
  });

  test("while the pointer is on the table a re-sort waits, named with an action; it applies on leaving", async ({
    page,
    request,
  }, testInfo) => {
    await page.goto("/consumers?sort=lag_msgs&q=e2e-order");
    const table = page.getByTestId("consumers-table");
    const note = page.getByTestId("consumers-resort");
    await expect.poll(() => rowOrder(page), { timeout: 30_000 }).toEqual(["e2e-order-a", "e2e-order-b", "e2e-order-c"]);
    await saveScreenshot(page, "consumers-order-light", testInfo);

    await table.hover();
    await publish(request, { c: 5 });
    // c's lag now leads: its value updates in place, its row stays third
    await expect(page.getByTestId("consumer-row-e2e-order-c").getByTestId("consumer-lag")).toHaveText("6");
    expect(await rowOrder(page)).toEqual(["e2e-order-a", "e2e-order-b", "e2e-order-c"]);
    await expect(note).toHaveAttribute("data-held", "true");
    await expect(note).toHaveText(/re-sort waiting — 1 row moved/);

    // "apply now" takes the new order and keeps holding it
    await note.getByRole("button", { name: "apply now" }).click();
    expect(await rowOrder(page)).toEqual(["e2e-order-c", "e2e-order-a", "e2e-order-b"]);
    await expect(note).toHaveText(/order held/);

    await publish(request, { b: 10 });
    await expect(page.getByTestId("consumer-row-e2e-order-b").getByTestId("consumer-lag")).toHaveText("12");
    expect(await rowOrder(page)).toEqual(["e2e-order-c", "e2e-order-a", "e2e-order-b"]);
    await expect(note).toHaveText(/re-sort waiting — 1 row moved/);
    await saveScreenshot(page, "consumers-order-held-light", testInfo);

    await page.mouse.move(4, 4);
    await expect.poll(() => rowOrder(page)).toEqual(["e2e-order-b", "e2e-order-c", "e2e-order-a"]);
    await expect(note).toHaveText("live order");
  });

  test("keyboard focus in the table holds the order too, and the consumers list reads in the dark theme", async ({
    page,
    request,
  }, testInfo) => {
    await useDark(page);
    await page.goto("/consumers?sort=lag_msgs&q=e2e-order");
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    // the table settled on the lags NATS reports, whatever the test before left
    const lags = await pendingByConsumer(request);
    for (const name of NAMES)
      await expect(page.getByTestId(`consumer-row-${name}`).getByTestId("consumer-lag")).toHaveText(String(lags[name]), {
        timeout: 30_000,
      });
    const before = await rowOrder(page);
    const last = before.at(-1) as (typeof NAMES)[number];
    const jump = Math.max(...Object.values(lags)) + 10 - lags[last];

    await page.getByTestId("sort-lag_msgs").focus();
    await page.keyboard.press("Tab");
    await publish(request, { [last.slice(-1)]: jump });
    await expect(page.getByTestId(`consumer-row-${last}`).getByTestId("consumer-lag")).toHaveText(String(lags[last] + jump));
    expect(await rowOrder(page)).toEqual(before);
    await expect(page.getByTestId("consumers-resort")).toHaveText(/re-sort waiting — 1 row moved/);
    await saveScreenshot(page, "consumers-order-held-dark", testInfo);

    await page.getByTestId("consumer-filter").focus();
    await expect.poll(() => rowOrder(page)).toEqual([last, ...before.slice(0, -1)]);
  });
});

test.describe("live stream rows hold still under the reader", () => {
  const STREAMS = ["E2E_HOLD_A", "E2E_HOLD_B", "E2E_HOLD_C"] as const;

  test.beforeAll(async ({ request }) => {
    const nc = await connectToAppNats(request);
    try {
      const jsm = await jetstreamManager(nc);
      for (const name of STREAMS) {
        await jsm.streams.delete(name).catch(() => undefined);
        await jsm.streams.add({ name, subjects: [`e2e.hold.${name.slice(-1).toLowerCase()}`] });
      }
      await publishTo(request, "e2e.hold", { a: 3, b: 2, c: 1 });
    } finally {
      await nc.close();
    }
  });

  test.afterAll(async ({ request }) => {
    const nc = await connectToAppNats(request);
    const jsm = await jetstreamManager(nc);
    for (const name of STREAMS) await jsm.streams.delete(name).catch(() => undefined);
    await nc.close();
  });

  test("sorted by messages, the streams table keeps its order under the pointer and re-sorts on leaving", async ({
    page,
    request,
  }, testInfo) => {
    await page.goto("/streams?sort=messages&dir=desc&q=E2E_HOLD");
    const order = () =>
      page
        .getByTestId("streams-table")
        .locator("tbody tr[data-testid^='stream-row-']")
        .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-testid")!.replace("stream-row-", "")));
    await expect.poll(order, { timeout: 30_000 }).toEqual(["E2E_HOLD_A", "E2E_HOLD_B", "E2E_HOLD_C"]);

    await page.getByTestId("streams-table").hover();
    await publishTo(request, "e2e.hold", { c: 5 });
    await expect(page.getByTestId("stream-row-E2E_HOLD_C").getByTestId("stream-messages")).toHaveText("6");
    expect(await order()).toEqual(["E2E_HOLD_A", "E2E_HOLD_B", "E2E_HOLD_C"]);
    await expect(page.getByTestId("streams-resort")).toHaveText(/re-sort waiting — 1 row moved/);
    await saveScreenshot(page, "streams-order-held-light", testInfo);

    await page.mouse.move(4, 4);
    await expect.poll(order).toEqual(["E2E_HOLD_C", "E2E_HOLD_A", "E2E_HOLD_B"]);
    await expect(page.getByTestId("streams-resort")).toHaveText("live order");
  });
});

const publish = (request: APIRequestContext, counts: Partial<Record<"a" | "b" | "c", number>>) => publishTo(request, "e2e.order", counts);

async function publishTo(request: APIRequestContext, prefix: string, counts: Partial<Record<"a" | "b" | "c", number>>) {
  const nc = await connectToAppNats(request);
  try {
    const js = jetstream(nc);
    for (const [subject, n] of Object.entries(counts)) for (let i = 0; i < n; i++) await js.publish(`${prefix}.${subject}`, `m${i}`);
  } finally {
    await nc.close();
  }
}

/** Each test consumer's lag in messages as NATS reports it. */
async function pendingByConsumer(request: APIRequestContext): Promise<Record<(typeof NAMES)[number], number>> {
  const nc = await connectToAppNats(request);
  try {
    const jsm = await jetstreamManager(nc);
    const infos = await Promise.all(NAMES.map((name) => jsm.consumers.info(STREAM, name)));
    return Object.fromEntries(infos.map((i) => [i.name, i.num_pending + i.num_ack_pending])) as Record<(typeof NAMES)[number], number>;
  } finally {
    await nc.close();
  }
}

const rowOrder = (page: Page) =>
  page
    .getByTestId("consumers-table")
    .locator("tbody tr[data-testid^='consumer-row-']")
    .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-testid")!.replace("consumer-row-", "")));

test.describe("live outcome tables hold still under the reader", () => {
  let nc: NatsConnection;
  // handlers of their own per run: the summary keeps what earlier runs on the same server published
  const run = Date.now().toString(36);
  const first = `e2e_hold_a_${run}`;
  const second = `e2e_hold_b_${run}`;

  test.beforeAll(async ({ request }) => {
    nc = await connectToAppNats(request);
  });
  test.afterAll(async () => {
    await nc?.close();
  });

  const handlerOrder = (page: Page) =>
    page
      .getByTestId("handler-summary")
      .locator("tbody tr[data-testid^='handler-row-']")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-testid")!.replace("handler-row-", "")));
  const before = (order: string[], a: string, b: string) => order.indexOf(a) >= 0 && order.indexOf(a) < order.indexOf(b);

  test("keyboard focus in the handlers table holds its order, names the waiting re-sort, and it re-sorts once focus leaves", async ({
    page,
  }, testInfo) => {
    const note = page.getByTestId("handlers-resort");
    // keyboard focus on a handler's button, as Tab gives it (focus-visible): the order holds while it stays in the table
    const focusHandler = async (handler: string) => {
      await page.getByTestId(`handler-row-${handler}`).getByRole("button").focus();
      await page.keyboard.press("Tab");
      await page.keyboard.press("Shift+Tab");
      await expect(note).toHaveAttribute("data-held", "true");
    };
    // worst first: 1 errored of 2 (50 %) above 0 of 2
    await publishOutcomes(nc, first, 1, { kind: "errored", exception: `ValueError: ${run}` });
    await publishOutcomes(nc, first, 1, { kind: "logged" });
    await publishOutcomes(nc, second, 2, { kind: "logged" });
    await page.goto("/outcomes");
    await expect.poll(async () => before(await handlerOrder(page), first, second), { timeout: 30_000 }).toBe(true);

    await focusHandler(first);
    await publishOutcomes(nc, second, 4, { kind: "errored", exception: `KeyError: ${run}` });
    // the second handler's errored ratio (4 of 6) now leads: its value updates in place, its row stays below
    await expect(page.getByTestId(`handler-row-${second}`)).toContainText("67%");
    expect(before(await handlerOrder(page), first, second)).toBe(true);
    await expect(note).toHaveText(/re-sort waiting — \d+ rows? moved/);
    await saveScreenshot(page, "outcomes-handlers-held-light", testInfo);

    await page.getByTestId("filter-target").focus();
    await expect.poll(async () => before(await handlerOrder(page), second, first)).toBe(true);
    await expect(note).toHaveText("live order");

    // the same in the dark theme: the first handler's ratio (7 of 8) overtakes while focus holds the order
    await page.evaluate(() => localStorage.setItem("busdeck-theme", "dark"));
    await page.reload();
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    await expect.poll(async () => before(await handlerOrder(page), second, first), { timeout: 30_000 }).toBe(true);
    await focusHandler(second);
    await publishOutcomes(nc, first, 6, { kind: "errored", exception: `ValueError: ${run}` });
    await expect(page.getByTestId(`handler-row-${first}`)).toContainText(/\b8 total/);
    expect(before(await handlerOrder(page), second, first)).toBe(true);
    await expect(note).toHaveText(/re-sort waiting — \d+ rows? moved/);
    await saveScreenshot(page, "outcomes-handlers-held-dark", testInfo);
  });

  test("the error groups keep their order under the pointer and re-sort once it leaves", async ({ page }) => {
    const lineA = `ValueError: hold-a-${run}`;
    const lineB = `ValueError: hold-b-${run}`;
    // Rows name the group: the exception with its variable parts (the run's id) as placeholders.
    const groupA = fingerprint(lineA).pattern;
    const groupB = fingerprint(lineB).pattern;
    const groupOf = (pattern: string) => page.getByTestId("error-group-row").filter({ hasText: pattern });
    const groupOrder = () =>
      page
        .getByTestId("error-group-row")
        .locator("td:nth-child(2)")
        .evaluateAll((cells) => cells.map((c) => c.textContent ?? ""));
    // larger group first: 2 of A above 1 of B
    await publishOutcomes(nc, first, 2, { kind: "errored", exception: lineA });
    await publishOutcomes(nc, first, 1, { kind: "errored", exception: lineB });
    await page.goto("/outcomes");
    await expect.poll(async () => before(await groupOrder(), groupA, groupB), { timeout: 30_000 }).toBe(true);

    await page.getByTestId("error-groups").locator("table").hover();
    await expect(page.getByTestId("error-groups-resort")).toHaveAttribute("data-held", "true");
    await publishOutcomes(nc, first, 3, { kind: "errored", exception: lineB });
    await expect(groupOf(groupB).getByTestId("error-group-count")).toHaveText("4");
    expect(before(await groupOrder(), groupA, groupB)).toBe(true);
    await expect(page.getByTestId("error-groups-resort")).toHaveText(/re-sort waiting — \d+ rows? moved/);

    await page.mouse.move(4, 4);
    await expect.poll(async () => before(await groupOrder(), groupB, groupA)).toBe(true);
    await expect(page.getByTestId("error-groups-resort")).toHaveText("live order");
  });
});
