import { expect, test } from "@playwright/test";
import { saveScreenshot, saveScreenshotsLightAndDark } from "../testing/app/screenshots";

const STREAM = "routing-decisions";

test.describe("a bad link says what is wrong with it and where to go", () => {
  test("an unknown stream, consumer or snapshot is an in-app page with the reason and the next step", async ({ page }, testInfo) => {
    await page.goto("/streams/nope");
    const stream = page.getByTestId("stream-missing");
    await expect(stream).toContainText(/^No stream named "nope": the latest sample lists \d+ streams, none by that name — see Streams$/);
    await expect(stream.getByRole("link", { name: "see Streams" })).toHaveAttribute("href", "/streams");
    await saveScreenshot(page, "stream-not-found-light", testInfo);

    await page.goto(`/consumers/${STREAM}/nope`);
    const consumer = page.getByTestId("consumer-missing");
    await expect(consumer).toContainText(
      new RegExp(`^No consumer "nope" on stream "${STREAM}" in the latest sample; \\d+ others? (is|are) — see the consumers on ${STREAM}$`),
    );
    await expect(consumer.getByRole("link")).toHaveAttribute("href", `/consumers?stream=${STREAM}`);

    const res = await page.goto("/s/aaaaaaaaaaaaaaaa");
    expect(res?.status()).toBe(404);
    const snapshot = page.getByTestId("snapshot-missing");
    await expect(snapshot).toContainText("busdeck stores no snapshot with this id");
    await expect(snapshot.getByRole("link", { name: "see the snapshots kept" })).toHaveAttribute("href", "/snapshots");

    await page.addInitScript(() => localStorage.setItem("busdeck-theme", "dark"));
    await page.goto("/streams/nope");
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    await expect(page.getByTestId("stream-missing")).toContainText('No stream named "nope"');
    await saveScreenshot(page, "stream-not-found-dark", testInfo);
  });

  test("a seq beyond the end is clamped and says to what; the seq box names a bad value inline", async ({ page }, testInfo) => {
    await page.goto(`/streams/${STREAM}/messages?seq=99999999999`);
    await expect(page.getByTestId("browse-clamped")).toHaveText(
      new RegExp(`^seq #99,999,999,999 is past the end of ${STREAM} \\(it holds #[\\d,]+–[\\d,]+\\): clamped to #[\\d,]+\\.$`),
    );

    const box = page.getByTestId("jump-seq");
    await box.fill("0");
    await page.getByTestId("jump-go").click();
    const error = page.getByTestId("jump-seq-error");
    await expect(error).toHaveText("seq must be a positive integer");
    await expect(box).toHaveAttribute("aria-invalid", "true");
    await expect(box).toHaveAttribute("aria-describedby", (await error.getAttribute("id"))!);
    await expect(page).toHaveURL(/\?seq=99999999999$/);
    await saveScreenshot(page, "browse-seq-error", testInfo);

    await box.fill("3");
    await page.getByTestId("jump-go").click();
    await expect(page).toHaveURL(/\?seq=3$/);
    await expect(error).toHaveCount(0);
    await expect(page.getByTestId("browse-clamped")).toHaveCount(0);
  });

  test("filter values naming nothing are named in the bad-parameter banner and ignored, not an empty table", async ({ page }) => {
    await page.goto("/consumers?stream=nope");
    await expect(page.getByTestId("consumers-url-error")).toContainText(
      'Ignored a bad URL parameter — stream: no stream with consumers named "nope"',
    );
    await expect(page.getByTestId("consumer-row-analytics-consumer")).toBeVisible();

    // a value that is not valid syntax is named too, and the rest of the list's state still applies
    await page.goto("/consumers?status=BOGUS&q=analytics");
    await expect(page.getByTestId("consumers-url-error")).toContainText('status: "BOGUS" is not valid');
    await expect(page.getByTestId("consumer-row-analytics-consumer")).toBeVisible();

    await page.goto("/outcomes?handler=nope");
    await expect(page.getByTestId("outcomes-url-error")).toContainText('Ignored a bad URL parameter — handler: no handler named "nope"');
    await expect(page.getByTestId("outcome-row").first()).toBeVisible();
  });

  test("a bad or unknown outcome filter value is named with its value in the banner; the rest of the filter applies", async ({
    page,
  }, testInfo) => {
    await page.goto("/outcomes?handler=link_down&severity=error&kind=nope");
    const banner = page.getByTestId("outcomes-url-error");
    await expect(banner).toContainText(
      'Ignored a bad URL parameter — severity: "error" is not valid (unknown severity error; one of info, warn, high, critical)',
    );
    await expect(banner).toContainText('kind: no outcome kind "nope"');
    // handler=link_down still applies: the feed shows its outcomes, not an empty table
    await expect(page.getByTestId("outcome-row").first()).toContainText("link_down");
    await saveScreenshotsLightAndDark(page, "outcomes-bad-filter", testInfo, () =>
      expect(banner).toContainText('kind: no outcome kind "nope"'),
    );

    await page.goto("/outcomes?target=zz-no-such-target");
    await expect(page.getByTestId("outcomes-no-match")).toHaveText(
      `No match for a URL filter — target: no outcome's target contains "zz-no-such-target" — shown empty`,
    );
    await expect(page.getByTestId("outcomes-url-error")).toHaveCount(0);
  });

  test("a bad streams list or message browser parameter is named with its value; the list and page still open", async ({ page }) => {
    await page.goto("/streams?sort=bogus&show=maybe");
    await expect(page.getByTestId("streams-url-error")).toHaveText(
      'Ignored a bad URL parameter — sort: "bogus" is not valid (one of name, messages, bytes, ingest, fill, consumers, last); show: "maybe" is not valid (all or attention)',
    );
    await expect(page.getByTestId(`stream-row-${STREAM}`)).toBeVisible();

    await page.goto(`/streams/${STREAM}/messages?size=25&mode=eval&search=x`);
    await expect(page.getByTestId("browse-url-error")).toHaveText(
      'Ignored a bad URL parameter — mode: "eval" is not valid (substring or predicate)',
    );
    // the good size still applies
    await expect(page.getByTestId("browse-size")).toHaveValue("25");
  });
});
