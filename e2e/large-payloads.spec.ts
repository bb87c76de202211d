import { expect, test } from "@playwright/test";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { links } from "../lib/links";
import { startNatsServer, type NatsServerHandle } from "../server/nats-server-process";
import { startApp, type AppHandle } from "../testing/app/app-process";

/**
 * The hostile-input suite's size part: 8 MB bodies on a nats-server that allows them (max_payload
 * 16 MB; the default 1 MB refuses them at publish). Every message is still counted and listed, the detail
 * shows a bounded part and says so, the download returns every byte, and an 8 MB outcome is counted and
 * drillable — nothing crashes or hangs.
 */
const EIGHT_MB = 8 * 1024 * 1024;
const STREAM = "BIG_PAYLOADS";
const enc = new TextEncoder();

test.describe("8 MB payloads", () => {
  let nats: NatsServerHandle;
  let app: AppHandle;
  let nc: NatsConnection;
  const blob = Uint8Array.from({ length: EIGHT_MB }, (_, i) => (i * 7919) % 256);

  test.beforeAll(async () => {
    nats = await startNatsServer({ extraConfig: "max_payload: 16MB" });
    nc = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: STREAM, subjects: ["big.>"] });
    await jsm.streams.add({ name: "REFLEX_OUTCOMES", subjects: ["reflex.outcome.>"] });
    const js = jetstream(nc);
    const bigJson = JSON.stringify({ note: "<script>alert(1)</script>", filler: "x".repeat(EIGHT_MB - 64) });
    await js.publish("big.json", enc.encode(bigJson));
    await js.publish("big.blob", blob);
    await js.publish("big.small", enc.encode('{"after":"the big ones"}'));
    const outcome = {
      handler_id: "huge_handler",
      severity: "critical",
      kind: "errored",
      target: null,
      diagnostic: `Traceback (most recent call last):\n  File "/a.py", line 1, in f\n${"    frame\n".repeat(EIGHT_MB / 10)}MemoryError: huge`,
      event: { subject: "big.json" },
      emitted_at: new Date().toISOString(),
    };
    await js.publish("reflex.outcome.huge_handler", enc.encode(JSON.stringify(outcome)));
    app = await startApp({ NATS_URL: nats.url, BUSDECK_DEMO: "0" });
  });

  test.afterAll(async () => {
    await app?.stop();
    await nc?.close();
    await nats?.stop();
  });

  test("8 MB messages are counted, listed, shown in part and downloadable in full", async ({ page }) => {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("dialog", (d) => (errors.push(`dialog: ${d.message()}`), void d.dismiss()));

    await page.goto(`${app.baseUrl}${links.streams()}`);
    await expect(page.getByTestId(`stream-row-${STREAM}`).getByTestId("stream-messages")).toHaveText("3");

    await page.goto(`${app.baseUrl}${links.browse(STREAM, { seq: 1 })}`);
    const table = page.getByTestId("message-table");
    for (const seq of [1, 2, 3]) await expect(table.getByTestId(`message-row-${seq}`)).toBeVisible();
    await expect(table.getByTestId("message-row-1")).toContainText("8.0 MiB");

    const detail = await page.request.get(`${app.baseUrl}/api/streams/${STREAM}/messages/1`);
    const body = await detail.text();
    // Bounded: the rendered part and the metadata, not the 8 MB (nor a base64 copy of it).
    expect(body.length).toBeLessThan(1.2 * 1024 * 1024);
    const payload = JSON.parse(body).payload;
    expect(payload).toMatchObject({ kind: "json", truncated: true });
    expect(payload.size).toBeGreaterThan(EIGHT_MB - 100);

    await page.goto(`${app.baseUrl}${links.message(STREAM, 1)}`);
    await expect(page.getByTestId("payload-truncated")).toContainText("8.0 MiB");
    await expect(page.getByTestId("payload-text")).toContainText('"note": "<script>alert(1)</script>"');
    // The detail's payload box scrolls on its own; a full-page capture of 1 Mi characters would not finish.
    await page.screenshot({ path: `${process.env.E2E_OUTPUT ?? "test-results"}/screenshots/large-payload-detail.png` });

    await page.goto(`${app.baseUrl}${links.message(STREAM, 2)}`);
    await expect(page.getByTestId("payload-kind")).toContainText(/binary|hex/i);
    await expect(page.getByTestId("payload-truncated")).toBeVisible();
    const download = await page.request.get(`${app.baseUrl}/api/streams/${STREAM}/messages/2?download=1`);
    expect(Buffer.compare(await download.body(), Buffer.from(blob))).toBe(0);
    expect(errors).toEqual([]);
    // The 8 MB payloads were masked on the server's masking thread: it started under Next's bundle and never failed.
    expect(app.output()).not.toMatch(/masking thread/);
  });

  test("an 8 MB outcome is counted and its drill-down opens", async ({ page }) => {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${app.baseUrl}${links.outcomes()}`);
    await expect(page.getByTestId("handler-row-huge_handler")).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId("outcome-total")).toContainText(/^1 outcomes? seen/);
    // The feed carries a bounded copy: the SSE frame and the list stay small.
    const list = await page.request.get(`${app.baseUrl}/api/outcomes?limit=10`);
    expect((await list.text()).length).toBeLessThan(64 * 1024);
    await page.getByTestId("outcome-row").first().click();
    await expect(page).toHaveURL(/\/outcomes\/1$/);
    await expect(page.getByTestId("outcome-truncated")).toContainText("8.");
    // The head and the exception line survive the cut.
    await expect(page.locator("body")).toContainText("MemoryError: huge");
    await expect(page.locator("body")).toContainText("characters cut by busdeck");
    expect(errors).toEqual([]);
  });
});
