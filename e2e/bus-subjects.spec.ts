import { expect, test, type Page } from "@playwright/test";
import { saveScreenshot, saveScreenshotsLightAndDark } from "../testing/app/screenshots";
import { violations } from "./support/axe";
import { connectToAppNats } from "./support/app-nats";

/** A demo subject: stored by routing-decisions, read by its api-consumer and analytics-consumer. */
const SUBJECT = "routing.model.selected";
const SUBSCRIBER = "e2e-route-subscriber";

/**
 * Skip link, then Tab until the subject field has the focus: the page is worked by keyboard alone. The subject
 * tap's tree, top talkers and tail come first, each subject a button: up to 80 stops.
 */
async function tabToSubjectField(page: Page) {
  const field = page.getByTestId("subject-route-input");
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("skip-link")).toBeFocused();
  await page.keyboard.press("Enter");
  for (let i = 0; i < 80 && !(await field.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(field).toBeFocused();
}

test.describe("bus subjects on the embedded default", () => {
  test("a demo subject's streams, consumers and core subscribers, asked by keyboard; a malformed subject is an inline error", async ({
    page,
    request,
  }, testInfo) => {
    const nc = await connectToAppNats(request, { name: SUBSCRIBER });
    try {
      nc.subscribe("routing.model.*", { queue: "e2e-workers", callback: () => {} });
      await nc.flush();
      // The answer is read once per question: wait until the sampler has read the demo's consumers.
      await expect
        .poll(async () => (await (await request.get(`/api/bus/subject-route?subject=${SUBJECT}`)).json()).consumers?.length)
        .toBe(2);

      await page.goto("/bus/subjects");
      await expect(page.getByTestId("bus-tabs").getByRole("link", { name: "Subjects" })).toHaveAttribute("aria-current", "page");
      await tabToSubjectField(page);
      await page.keyboard.type("foo.>.bar");
      await page.keyboard.press("Enter");
      const error = page.getByTestId("subject-route-error");
      await expect(error).toHaveText('subject: ">" must be the last token (it is token 2 of 3)');
      await expect(page.getByTestId("subject-route-input")).toHaveAttribute("aria-invalid", "true");
      await saveScreenshot(page, "bus-subjects-error-light", testInfo);

      await page.keyboard.press("ControlOrMeta+a");
      await page.keyboard.type(SUBJECT);
      await page.keyboard.press("Enter");
      await expect(page).toHaveURL(/[?&]subject=routing\.model\.selected/);
      await expect(error).toBeEmpty();
      await expect(page.getByTestId("subject-route-streams").locator("tbody tr")).toHaveText([/routing-decisions\s*routing\.>/]);
      const consumers = page.getByTestId("subject-route-consumers").locator("tbody tr");
      await expect(consumers).toHaveCount(2);
      await expect(consumers.filter({ hasText: "analytics-consumer" })).toContainText("routing.>");
      await expect(consumers.filter({ hasText: "api-consumer" }).getByRole("link", { name: "api-consumer" })).toHaveAttribute(
        "href",
        "/consumers/routing-decisions/api-consumer",
      );
      const subscriber = page.getByTestId("subject-route-subscribers").locator("tbody tr").filter({ hasText: SUBSCRIBER });
      await expect(subscriber).toContainText("routing.model.*");
      await expect(subscriber).toContainText("e2e-workers");
      await expect(subscriber.getByRole("link", { name: SUBSCRIBER })).toHaveAttribute("href", `/bus/connections?q=${SUBSCRIBER}`);
      await expect(page.getByTestId("subject-route-rate")).toHaveText(/msg\/s$/);
      expect(await violations(page)).toEqual([]);
      await saveScreenshotsLightAndDark(page, "bus-subjects", testInfo, () => expect(subscriber).toBeVisible());
      expect(await violations(page)).toEqual([]);
    } finally {
      await nc.close();
    }
  });

  test("the subject tap: demo subjects live in the tree and top talkers, a subject asked from the tree, a masked tail", async ({
    page,
    request,
  }, testInfo) => {
    const nc = await connectToAppNats(request, { name: "e2e-tap-publisher" });
    const publisher = setInterval(() => nc.publish("e2e.tap.orders", JSON.stringify({ order: 7, password: "hunter2" })), 100);
    let flooding: ReturnType<typeof setInterval> | undefined;
    try {
      await page.goto("/bus/subjects");
      const state = page.getByTestId("subject-tap-state");
      await expect(state).toHaveAttribute("data-mode", "on");
      await expect(state).toContainText(/tap on.*msg\/s received of a 20,000 msg\/s budget/);
      // Where the figures come from: the replica running the tap (the elected sampler; this one, alone).
      await expect(page.getByTestId("subject-tap-source")).toHaveText(/^· tapped by replica \S+$/);
      const tree = page.getByTestId("subject-tree");
      // The demo's subjects, live: routing.> is the decisions stream's.
      const routing = tree.locator('[data-testid="subject-tree-row"][data-path="routing"]');
      await expect(routing).toBeVisible();
      await expect(routing.locator("td").nth(1)).not.toHaveText("0");
      await expect(page.getByTestId("top-talker-row").first()).toBeVisible();
      // Expanded by keyboard: focus the toggle, Enter.
      const toggle = routing.getByRole("button", { name: "Expand routing" });
      await toggle.focus();
      await page.keyboard.press("Enter");
      await expect(routing.getByRole("button", { name: "Collapse routing" })).toHaveAttribute("aria-expanded", "true");
      await expect(tree.locator('[data-testid="subject-tree-row"][data-path^="routing."]').first()).toBeVisible();
      // A subject clicked in the tree is asked where it goes.
      await routing.getByRole("button", { name: "routing", exact: true }).click();
      await expect(page).toHaveURL(/[?&]subject=routing\.%3E/);
      await expect(page.getByTestId("subject-route-input")).toHaveValue("routing.>");
      await expect(page.getByTestId("subject-route-streams").locator("tbody tr").first()).toContainText("routing-decisions");
      // The tail of the test's own subject: its payload masked.
      const e2eRow = tree.locator('[data-testid="subject-tree-row"][data-path="e2e"]');
      await expect(e2eRow).toBeVisible();
      await e2eRow.getByRole("button", { name: "Tail e2e.>" }).click();
      await expect(page.getByTestId("subject-tail-state")).toHaveText("tailing e2e.>");
      const tailed = page.getByTestId("subject-tail-row").first();
      await expect(tailed).toContainText("e2e.tap.orders");
      await expect(tailed).toContainText('"order":7');
      await expect(page.getByTestId("subject-tail")).not.toContainText("hunter2");
      // A malformed tail subject is refused inline with the problem named.
      await page.getByTestId("subject-tail-input").fill("e2e.>.x");
      await page.getByTestId("subject-tail-start").click();
      await expect(page.getByTestId("subject-tail-error")).toHaveText('">" must be the last token (it is token 2 of 3)');
      expect(await violations(page)).toEqual([]);
      await saveScreenshotsLightAndDark(page, "bus-subjects-tap", testInfo, () => expect(routing).toBeVisible());
      // Over the budget (20,000 msg/s): a flood on one prefix narrows the tap, and the page says so with the rate.
      // It floods (~40,000 msg/s) until the checks are done: one burst can spread over two seconds on a loaded
      // machine and stay under the budget in each, and a narrowed tap tries the whole set again after 5 s.
      flooding = setInterval(() => {
        for (let i = 0; i < 4_000; i++) nc.publish("flood.x", "f");
      }, 100);
      await expect(state).toHaveAttribute("data-mode", "narrowed", { timeout: 30_000 });
      await expect(page.getByTestId("subject-tap-reason")).toContainText(
        /saw [\d,]+ msg\/s, over the budget of 20,000 msg\/s: left out flood\.> \([\d,]+ msg\/s\)/,
      );
      await expect(state).toContainText(/tapping .*routing\.>/);
      await saveScreenshot(page, "bus-subjects-tap-narrowed-dark", testInfo);
    } finally {
      clearInterval(publisher);
      clearInterval(flooding);
      await nc.close();
    }
  });

  test("a stored message's subject links to where it goes", async ({ page }) => {
    await page.goto("/streams/routing-decisions/messages/1");
    const subject = (await page.getByTestId("message-subject").textContent())!;
    await page.getByTestId("message-subject-route").click();
    await expect(page).toHaveURL(`/bus/subjects?subject=${encodeURIComponent(subject)}`);
    await expect(page.getByTestId("subject-route-input")).toHaveValue(subject);
    await expect(page.getByTestId("subject-route-streams").locator("tbody tr").first()).toContainText("routing-decisions");
  });
});
