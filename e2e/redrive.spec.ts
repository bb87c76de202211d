import { readFile } from "node:fs/promises";
import { expect, request as apiRequest, test, type Page } from "@playwright/test";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { headers } from "@nats-io/nats-core";
import { connectToAppNats } from "./support/app-nats";
import { violations } from "./support/axe";
import { saveScreenshot, saveScreenshotsLightAndDark } from "../testing/app/screenshots";
import { startApp, type AppHandle } from "../testing/app/app-process";

const STREAM = "E2E_REDRIVE";
const WORKER = "redrive-worker";

/** The message page of #1 with the redrive dialog open on it. */
async function openRedrive(page: Page) {
  await page.goto(`/streams/${STREAM}/messages/1`);
  await expect(page.getByTestId("message-cli")).toHaveText(`nats stream get ${STREAM} 1`);
  await page.getByTestId("redrive-button").click();
  const dialog = page.getByTestId("redrive-dialog");
  await expect(dialog.getByTestId("redrive-receivers")).toContainText(WORKER);
  return dialog;
}

test.describe("redrive a dead letter from its message page", () => {
  // #1 NAKed past max_deliver by WORKER; "redrive-all" reads every subject, "redrive-other" another subject.
  test.beforeAll(async ({ request }) => {
    const nc = await connectToAppNats(request);
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.delete(STREAM).catch(() => undefined);
      await jsm.streams.add({ name: STREAM, subjects: ["e2e.redrive.>"] });
      const js = jetstream(nc);
      const h = headers();
      h.set("X-Note", "it's late");
      await js.publish("e2e.redrive.job", JSON.stringify({ order: 7, password: "hunter2" }), { headers: h });
      await jsm.consumers.add(STREAM, { durable_name: WORKER, ack_policy: AckPolicy.Explicit, max_deliver: 2 });
      await jsm.consumers.add(STREAM, { durable_name: "redrive-all", ack_policy: AckPolicy.Explicit });
      await jsm.consumers.add(STREAM, {
        durable_name: "redrive-other",
        ack_policy: AckPolicy.Explicit,
        filter_subject: "e2e.redrive.other",
      });
      const consumer = await js.consumers.get(STREAM, WORKER);
      for (let delivery = 1; delivery <= 2; delivery++) (await consumer.next({ expires: 5_000 }))!.nak();
      expect(await consumer.next({ expires: 1_000 })).toBeNull(); // the server gives up on #1 here
    } finally {
      await nc.close();
    }
  });

  test.afterAll(async ({ request }) => {
    const nc = await connectToAppNats(request);
    await (await jetstreamManager(nc)).streams.delete(STREAM).catch(() => undefined);
    await nc.close();
  });

  test("the preview names subject, size, receiving consumers and the CLI; confirming stores one copy, a repeat none", async ({
    page,
    request,
  }, testInfo) => {
    test.slow(); // axe twice, a theme reload, two redrives and the audit page
    const dialog = await openRedrive(page);
    await expect(dialog.getByTestId("redrive-receivers")).toContainText("redrive-all");
    await expect(dialog.getByTestId("redrive-receivers")).not.toContainText("redrive-other");
    await expect(dialog.getByTestId("redrive-size")).toHaveText(/^\d+ B payload, plus headers$/);
    await expect(dialog.getByTestId("redrive-msg-id")).toHaveText(`${STREAM}:1:redrive:1`);
    await expect(dialog.getByTestId("redrive-cli")).toHaveText(
      `nats stream get ${STREAM} 1 --json | jq -r .data | base64 -d | nats pub e2e.redrive.job --force-stdin --no-templates ` +
        `-H 'X-Note:it'\\''s late' -H Nats-Msg-Id:${STREAM}:1:redrive:1 -H Busdeck-Redrive-Of:${STREAM}:1`,
    );

    await dialog.getByTestId("redrive-subject").fill("billing.job");
    await expect(dialog.getByRole("alert")).toHaveText(`subject "billing.job" is not one the stream captures (e2e.redrive.>)`);
    await expect(dialog.getByTestId("redrive-confirm")).toBeDisabled();
    await dialog.getByTestId("redrive-subject").fill("e2e.redrive.job");
    expect(await violations(page)).toEqual([]);
    await saveScreenshotsLightAndDark(page, "redrive-preview", testInfo, async () => {
      await openRedrive(page);
      expect(await violations(page)).toEqual([]);
    });

    await page.getByTestId("redrive-confirm").click();
    await expect(page.getByTestId("redrive-result")).toHaveText(`Redriven: stored as ${STREAM} #2 on e2e.redrive.job.`);
    await saveScreenshot(page, "redrive-result", testInfo);

    // A second try of the same attempt (another tab, a retry) is deduplicated by the stream.
    await page.keyboard.press("Escape");
    const again = await openRedrive(page);
    await again.getByTestId("redrive-confirm").click();
    await expect(again.getByTestId("redrive-result")).toHaveText(/^Not stored again: the stream already holds attempt 1 as #2/);
    await again.getByTestId("redrive-next-attempt").click();
    await expect(again.getByTestId("redrive-msg-id")).toHaveText(`${STREAM}:1:redrive:2`);

    const nc = await connectToAppNats(request);
    try {
      const info = await (await jetstreamManager(nc)).streams.info(STREAM);
      expect(info.state.last_seq).toBe(2);
      const copy = await (await jetstream(nc).consumers.get(STREAM, WORKER)).next({ expires: 5_000 });
      expect(copy?.seq).toBe(2);
      expect(copy!.json()).toEqual({ order: 7, password: "hunter2" });
      expect(copy!.headers?.get("Busdeck-Redrive-Of")).toBe(`${STREAM}:1`);
      await copy!.ackAck();
    } finally {
      await nc.close();
    }

    await page.goto("/audit?action=message.redrive");
    await expect(page.getByTestId("audit-row").filter({ hasText: `${STREAM}:1` })).toHaveCount(2);
  });

  test("the dead-letter row of the consumer offers the same redrive", async ({ page }, testInfo) => {
    test.slow(); // axe on the consumer page (two charts), twice
    await page.goto(`/consumers/${STREAM}/${WORKER}`);
    const deadLetterRedrive = page.getByTestId("dead-letter-redrive").first();
    await expect(deadLetterRedrive).toHaveAccessibleName("Redrive #1");
    expect(await violations(page)).toEqual([]);
    await saveScreenshotsLightAndDark(page, "redrive-consumer-dead-letters", testInfo, async () => {
      await expect(deadLetterRedrive).toBeVisible();
      expect(await violations(page)).toEqual([]);
    });
    await deadLetterRedrive.click();
    const dialog = page.getByTestId("redrive-dialog");
    await expect(dialog.getByRole("heading", { level: 2 })).toHaveText(`Redrive ${STREAM} #1`);
    await expect(dialog.getByTestId("redrive-receivers")).toContainText(WORKER);
  });

  test("a consumer's stuck message links to its message page, which offers the redrive", async ({ page }) => {
    // "redrive-all" never pulls: #1 is the oldest message it has not processed.
    await page.goto(`/consumers/${STREAM}/redrive-all`);
    await page.getByTestId("consumer-stuck-link").click();
    await expect(page).toHaveURL(new RegExp(`/streams/${STREAM}/messages/1\\?consumer=redrive-all`));
    await page.getByTestId("redrive-button").click();
    await expect(page.getByTestId("redrive-dialog").getByRole("heading", { level: 2 })).toHaveText(`Redrive ${STREAM} #1`);
  });

  test("bulk: the consumer's dead letters in a range go out one by one, each with its result; a repeat is held back", async ({
    page,
  }, testInfo) => {
    test.slow(); // the consumer page, twice
    const runBulk = async () => {
      await page.goto(`/consumers/${STREAM}/${WORKER}`);
      await page.getByTestId("bulk-redrive-button").click();
      const dialog = page.getByTestId("bulk-redrive-dialog");
      await expect(dialog.getByTestId("bulk-planned")).toHaveText("1 dead letter: #1");
      await dialog.getByTestId("bulk-n").fill("7");
      await dialog.getByTestId("bulk-start").click();
      return dialog;
    };
    const dialog = await runBulk();
    await expect(dialog.getByTestId("bulk-summary")).toHaveText("Done: 1 sent, 0 already held by the stream, 0 failed.");
    await expect(dialog.getByTestId("bulk-result")).toHaveText(new RegExp(`^#1 → ${STREAM} #\\d+$`));
    await saveScreenshotsLightAndDark(page, "redrive-bulk", testInfo, async () => {
      const again = await runBulk();
      await expect(again.getByTestId("bulk-summary")).toHaveText("Done: 0 sent, 1 already held by the stream, 0 failed.");
      await expect(again.getByTestId("bulk-result")).toHaveText(new RegExp(`^#1 → ${STREAM} #\\d+ \\(already held\\)$`));
    });
  });

  test("a cross-site redrive is refused before it reaches the route", async ({ request }) => {
    const res = await request.post(`/api/streams/${STREAM}/messages/1/redrive`, {
      headers: { "Content-Type": "application/json", Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
      data: JSON.stringify({ n: 7 }),
    });
    expect(res.status()).toBe(403);
    expect(await res.text()).toMatch(/cross-site write refused/);
  });
});

test.describe("redrive on the demo's poisoned consumer", () => {
  const DEMO_STREAM = "llm-requests";
  const POISONED = "metrics-consumer";

  test("its dead letter → the message → preview → redrive → the audit row", async ({ page }, testInfo) => {
    // A freshly started demo dead-letters its first poison message after about a minute (metrics-consumer runs
    // behind); then axe twice, a theme reload and the audit page.
    test.setTimeout(300_000);
    await page.goto(`/consumers/${DEMO_STREAM}/${POISONED}`);
    const deadLetters = page.getByTestId("consumer-advisories");
    const newest = deadLetters.locator("tbody tr", { hasText: "max deliver" }).first().getByRole("link");
    await expect(newest).toHaveText(/^#[\d,]+$/, { timeout: 150_000 });
    // Rows arrive live, newest first: follow this message's link by its label, wherever its row has moved.
    const label = await newest.innerText();
    const seq = Number(label.replace(/[#,]/g, ""));
    await deadLetters.getByRole("link", { name: label, exact: true }).first().click();
    await expect(page).toHaveURL(new RegExp(`/streams/${DEMO_STREAM}/messages/${seq}\\b`));

    const openPreview = async () => {
      await page.getByTestId("redrive-button").click();
      const dialog = page.getByTestId("redrive-dialog");
      await expect(dialog.getByTestId("redrive-receivers")).toContainText(POISONED);
      return dialog;
    };
    const dialog = await openPreview();
    await expect(dialog.getByTestId("redrive-msg-id")).toHaveText(`${DEMO_STREAM}:${seq}:redrive:1`);
    const subject = await dialog.getByTestId("redrive-subject").inputValue();
    expect(subject).toMatch(/^llm\./);
    await expect(dialog.getByTestId("redrive-cli")).toContainText(`nats pub ${subject} --force-stdin --no-templates`);
    expect(await violations(page)).toEqual([]);
    await saveScreenshotsLightAndDark(page, "redrive-demo-preview", testInfo, async () => {
      await openPreview();
      expect(await violations(page)).toEqual([]);
    });

    await page.getByTestId("redrive-confirm").click();
    await expect(page.getByTestId("redrive-result")).toHaveText(
      new RegExp(`^Redriven: stored as ${DEMO_STREAM} #[\\d,]+ on ${subject}\\.$`),
    );
    await saveScreenshot(page, "redrive-demo-result", testInfo);

    await page.goto("/audit?action=message.redrive");
    const row = page.getByTestId("audit-row").filter({ hasText: `${DEMO_STREAM}:${seq}` });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("message.redrive");
    await expect(row).toContainText("done · 200");
    // The filtered list exports as CSV and JSON with the record in it.
    const menu = page.getByTestId("audit-export");
    for (const format of ["CSV", "JSON"]) {
      await menu.locator("summary").click();
      const [download] = await Promise.all([page.waitForEvent("download"), menu.getByRole("menuitem", { name: format }).click()]);
      const text = await readFile((await download.path())!, "utf8");
      expect(text).toContain(`${DEMO_STREAM}:${seq}`);
      expect(text).toContain("message.redrive");
    }
    await saveScreenshot(page, "redrive-demo-audit", testInfo);
  });
});

/**
 * A freshly started demo stores routing-decisions #1 a moment after it answers HTTP; the pages below open that
 * message (CI once opened it first: "routing-decisions holds no messages now").
 */
async function firstDecisionStored(baseURL: string, httpCredentials?: { username: string; password: string }) {
  const api = await apiRequest.newContext({ baseURL, httpCredentials });
  try {
    await expect.poll(async () => (await api.get("/api/streams/routing-decisions/messages/1")).status(), { timeout: 60_000 }).toBe(200);
  } finally {
    await api.dispose();
  }
}

test.describe("redrive for a viewer", () => {
  let app: AppHandle;
  const viewer = { username: "bob", password: "bob-password-2" };
  test.beforeAll(async () => {
    test.setTimeout(120_000); // start-up and the demo's first decision
    app = await startApp({ NATS_URL: "", BUSDECK_AUTH: "basic", BUSDECK_AUTH_USERS: "ann:ann-password-1:operator\nbob:bob-password-2" });
    await firstDecisionStored(app.baseUrl, viewer);
  });
  test.afterAll(async () => {
    await app?.stop();
  });

  /** The message page and the consumer page as `who` sees them: how many redrive controls each offers. */
  async function redriveControls(page: Page) {
    await page.goto(`${app.baseUrl}/streams/routing-decisions/messages/1`);
    await expect(page.getByTestId("message-cli")).toHaveText("nats stream get routing-decisions 1");
    const onMessage = await page.getByTestId("redrive-button").count();
    await page.goto(`${app.baseUrl}/consumers/routing-decisions/api-consumer`);
    await expect(page.getByTestId("consumer-advisories")).toBeVisible();
    return { onMessage, onConsumer: await page.getByTestId("bulk-redrive-button").count() };
  }

  test("a viewer sees no Redrive on the message or the consumer (an operator does), and the API refuses them with 403", async ({
    browser,
  }) => {
    const operator = await browser.newContext({ httpCredentials: { username: "ann", password: "ann-password-1" } });
    try {
      expect(await redriveControls(await operator.newPage())).toEqual({ onMessage: 1, onConsumer: 1 });
    } finally {
      await operator.close();
    }
    const context = await browser.newContext({ httpCredentials: viewer });
    try {
      expect(await redriveControls(await context.newPage())).toEqual({ onMessage: 0, onConsumer: 0 });
      const res = await context.request.post(`${app.baseUrl}/api/streams/routing-decisions/messages/1/redrive`, {
        headers: { "Content-Type": "application/json", Origin: app.baseUrl },
        data: JSON.stringify({ n: 1 }),
      });
      expect(res.status()).toBe(403);
      expect(((await res.json()) as { reason: string }).reason).toBe('this needs role operator; user "bob" has role viewer');
    } finally {
      await context.close();
    }
  });
});

test.describe("redrive in a read-only deployment", () => {
  let app: AppHandle;
  test.beforeAll(async () => {
    test.setTimeout(120_000); // start-up and the demo's first decision
    app = await startApp({ NATS_URL: "", BUSDECK_READ_ONLY: "1" });
    await firstDecisionStored(app.baseUrl);
  });
  test.afterAll(async () => {
    await app?.stop();
  });

  test("the message page has its CLI command but no Redrive, and the API refuses with 403", async ({ page, request }) => {
    await page.goto(`${app.baseUrl}/streams/routing-decisions/messages/1`);
    await expect(page.getByTestId("message-cli")).toHaveText("nats stream get routing-decisions 1");
    await expect(page.getByTestId("redrive-button")).toHaveCount(0);
    const res = await request.post(`${app.baseUrl}/api/streams/routing-decisions/messages/1/redrive`, {
      headers: { "Content-Type": "application/json", Origin: app.baseUrl },
      data: JSON.stringify({ n: 1 }),
    });
    expect(res.status()).toBe(403);
  });
});
