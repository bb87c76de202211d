import { expect, test, type Page } from "@playwright/test";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connectToAppNats } from "./support/app-nats";
import { saveScreenshot } from "../testing/app/screenshots";

const STREAM = "E2E_WHY";
const CONSUMER = "why-worker";

/** The consumer panel of a message page reached from CONSUMER. */
const openForConsumer = async (page: Page, seq: number) => {
  await page.goto(`/streams/${STREAM}/messages/${seq}?consumer=${CONSUMER}`);
  return page.getByTestId("message-consumer");
};

test.describe("a message reached from a consumer says where it stands for that consumer", () => {
  // #1 acked, #2 NAKed past max_deliver (dead-lettered), #3 delivered and unacked, #4 not delivered yet.
  test.beforeAll(async ({ request }) => {
    const nc = await connectToAppNats(request);
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.delete(STREAM).catch(() => undefined);
      await jsm.streams.add({ name: STREAM, subjects: ["e2e.why.>"] });
      const js = jetstream(nc);
      for (let i = 1; i <= 4; i++) await js.publish(`e2e.why.job`, JSON.stringify({ job: i }));
      // One unacked message at a time: a pull waits for the NAK to land (it is not acknowledged) instead of racing it.
      await jsm.consumers.add(STREAM, { durable_name: CONSUMER, ack_policy: AckPolicy.Explicit, max_deliver: 2, max_ack_pending: 1 });
      const consumer = await js.consumers.get(STREAM, CONSUMER);
      const next = async () => {
        const m = await consumer.next({ expires: 5_000 });
        if (!m) throw new Error("no message delivered");
        return m;
      };
      await (await next()).ackAck();
      for (let delivery = 1; delivery <= 2; delivery++) {
        const m = await next();
        expect(m.seq).toBe(2);
        m.nak();
      }
      expect((await next()).seq).toBe(3); // the server gives up on #2 here and says so in an advisory
    } finally {
      await nc.close();
    }
  });

  test.afterAll(async ({ request }) => {
    const nc = await connectToAppNats(request);
    await (await jetstreamManager(nc)).streams.delete(STREAM).catch(() => undefined);
    await nc.close();
  });

  test("the stuck link carries the consumer; the page names it, leads back to it, and shows the message in the browser", async ({
    page,
  }, testInfo) => {
    await page.goto(`/consumers/${STREAM}/${CONSUMER}`);
    const stuck = page.getByTestId("consumer-stuck-link");
    await expect(stuck).toHaveAttribute("href", new RegExp(`^/streams/${STREAM}/messages/\\d+\\?consumer=${CONSUMER}$`));
    await stuck.click();
    const panel = page.getByTestId("message-consumer");
    await expect(panel.getByTestId("message-consumer-link")).toHaveAttribute("href", `/consumers/${STREAM}/${CONSUMER}`);
    await expect(page.getByTestId("message-crumbs").getByRole("link", { name: CONSUMER })).toHaveAttribute(
      "href",
      `/consumers/${STREAM}/${CONSUMER}`,
    );

    await openForConsumer(page, 2);
    await page.getByTestId("message-show-in-browser").click();
    await expect(page).toHaveURL(new RegExp(`/streams/${STREAM}/messages\\?seq=2&highlight=2$`));
    const row = page.getByTestId("message-row-2");
    await expect(row).toHaveAttribute("aria-current", "true");
    await expect(row.getByTestId("message-current-tag")).toHaveText(/this message/);
    await expect(row).toBeInViewport();
    await expect(page.getByTestId("message-row-3")).not.toHaveAttribute("aria-current", /.*/);
    await saveScreenshot(page, "message-browser-highlight", testInfo);
  });

  test("each message's status and delivery count come from the consumer's info and advisories", async ({ page }, testInfo) => {
    const dead = await openForConsumer(page, 2);
    await expect(dead.getByTestId("message-consumer-status")).toHaveText("dead-lettered", { timeout: 30_000 });
    await expect(dead.getByTestId("message-consumer-reason")).toHaveText(/^Past max_deliver \(2\): dead-lettered after 2 deliveries/);
    await expect(dead.getByTestId("message-consumer-deliveries")).toHaveText("2");
    await saveScreenshot(page, "message-consumer-light", testInfo);

    await expect((await openForConsumer(page, 1)).getByTestId("message-consumer-status")).toHaveText("acked");
    const unacked = await openForConsumer(page, 3);
    await expect(unacked.getByTestId("message-consumer-status")).toHaveText(/^(pending ack|redelivered)$/);
    await expect(unacked.getByTestId("message-consumer-reason")).toContainText("Pending ack");
    const waiting = await openForConsumer(page, 4);
    await expect(waiting.getByTestId("message-consumer-status")).toHaveText("pending");
    await expect(waiting.getByTestId("message-consumer-reason")).toHaveText("Not delivered yet: the consumer has delivered up to #3.");

    await page.addInitScript(() => localStorage.setItem("busdeck-theme", "dark"));
    await openForConsumer(page, 2);
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    await expect(page.getByTestId("message-consumer-status")).toHaveText("dead-lettered");
    await saveScreenshot(page, "message-consumer-dark", testInfo);
  });

  test("a bad consumer parameter is named, not silently dropped", async ({ page }) => {
    await page.goto(`/streams/${STREAM}/messages/1?consumer=a.b`);
    await expect(page.getByTestId("message-url-error")).toContainText("Ignored a bad URL parameter — consumer: must not contain");
    await expect(page.getByTestId("message-seq")).toHaveText("1");
  });
});
