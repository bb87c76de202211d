import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { expect, test, type Page } from "@playwright/test";
import { startNatsServer, type NatsServerHandle } from "../server/nats-server-process";
import { startApp, type AppHandle } from "../testing/app/app-process";
import { saveScreenshotsLightAndDark } from "../testing/app/screenshots";
import { violations } from "./support/axe";
import { publishOutcomes } from "./support/outcomes";

const H = "e2e_groups";
const PEERS = 12;
/** Targets by outcome index: 7 on sw-a, 4 on sw-b, 1 on sw-c. */
const target = (i: number) => (i < 7 ? "sw-a" : i < 11 ? "sw-b" : "sw-c");

async function expectGroupPage(page: Page) {
  await expect(page.getByTestId("error-group-pattern")).toHaveText("KeyError: <str>", { timeout: 20_000 });
  await expect(page.getByTestId("error-group-count")).toHaveText("12");
  await expect(page.getByTestId("error-group-state")).toContainText("still firing");
  await expect(page.getByTestId("error-group-target")).toHaveText([/sw-a\s*7/, /sw-b\s*4/, /sw-c\s*1/]);
  await expect(page.getByTestId("error-group-variant")).toHaveCount(5);
  await expect(page.getByTestId("error-group-variant").first()).toContainText("'peer-70000'");
  await expect(page.getByTestId("error-group-traceback")).toHaveCount(3);
  // The newest first: outcome 11's traceback, then 10's, then 9's; their payloads differ in peer and n.
  await expect(page.getByTestId("error-group-traceback").first()).toContainText("KeyError: 'peer-70011'");
  await expect(page.getByTestId("payload-diff-row")).toHaveText([
    /\$\.peer\s*"peer-70011"\s*"peer-70010"\s*"peer-70009"/,
    /\$\.n\s*11\s*10\s*9/,
  ]);
}

/**
 * Errors that differ only by an id make one error group with its variants; the group's page shows its count,
 * targets, variants, newest tracebacks side by side with their payload differences, and links to its outcomes
 * and to the feed filtered to that exception.
 */
test.describe("reflex error groups", () => {
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  let app: AppHandle;

  test.beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    await (await jetstreamManager(nc)).streams.add({ name: "REFLEX_OUTCOMES", subjects: ["reflex.outcome.>"] });
    app = await startApp({ NATS_URL: nats.url, BUSDECK_DEMO: "0" });
  });

  test.afterAll(async () => {
    await app?.stop();
    await nc?.close();
    await nats?.stop();
  });

  test("errors differing only by an id are one group; its page shows count, targets, tracebacks and the filtered feed", async ({
    page,
  }, testInfo) => {
    test.setTimeout(120_000);
    await expect
      .poll(async () => (await (await fetch(`${app.baseUrl}/api/topics/outcome_stats`)).json())?.history?.mode, { timeout: 30_000 })
      .toBe("stream");
    await publishOutcomes(
      nc,
      H,
      PEERS,
      { kind: "errored", exception: (i) => `KeyError: 'peer-${70_000 + i}'` },
      { target, payload: (i) => ({ device: "edge-1", peer: `peer-${70_000 + i}`, n: i }) },
    );
    await publishOutcomes(nc, H, 2, { kind: "errored", exception: "ValueError: bad state" });

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${app.baseUrl}/outcomes`);
    const rows = page.getByTestId("error-group-row");
    const keyErrors = rows.filter({ hasText: "KeyError" });
    await expect(keyErrors).toHaveCount(1, { timeout: 20_000 });
    await expect(keyErrors.getByTestId("error-group-count")).toHaveText("12");
    await expect(keyErrors.getByTestId("error-group-variants")).toHaveText("5+");
    await expect(keyErrors.getByTestId("error-group-link")).toHaveText("KeyError: <str>");
    await expect(rows.filter({ hasText: "ValueError: bad state" })).toHaveCount(1);
    expect(await violations(page)).toEqual([]);
    await saveScreenshotsLightAndDark(page, "outcomes-error-groups", testInfo, () => expect(keyErrors).toHaveCount(1, { timeout: 20_000 }));

    await page.evaluate(() => localStorage.setItem("busdeck-theme", "light"));
    await page.reload();
    await keyErrors.getByTestId("error-group-link").click();
    await expect(page).toHaveURL(new RegExp(`/outcomes/groups/${H}/[0-9a-f]{16}$`));
    await expectGroupPage(page);
    expect(await violations(page)).toEqual([]);
    await saveScreenshotsLightAndDark(page, "error-group-page", testInfo, () => expectGroupPage(page));
    const groupUrl = page.url();

    // Each traceback links to its outcome.
    await page.getByTestId("error-group-outcome-link").first().click();
    await expect(page).toHaveURL(/\/outcomes\/\d+$/);
    await expect(page.getByTestId("outcome-diagnostic")).toContainText("KeyError: 'peer-70011'");

    // The feed filtered to that exception: the group's outcomes only, not the handler's other errors.
    await page.goto(groupUrl);
    await expect(page.getByTestId("error-group-pattern")).toHaveText("KeyError: <str>", { timeout: 20_000 });
    await page.getByRole("link", { name: "open in outcomes →" }).click();
    await expect(page).toHaveURL(/[?&]exception=KeyError%3A(\+|%20)%3Cstr%3E/);
    await expect(page.getByTestId("filter-exception")).toHaveValue("KeyError: <str>");
    const feed = page.getByTestId("outcome-row");
    await expect(feed.first()).toContainText("KeyError: 'peer-", { timeout: 20_000 });
    await expect(feed.filter({ hasText: "ValueError" })).toHaveCount(0);
    await expect(feed.filter({ hasText: "KeyError" })).toHaveCount(PEERS);
  });
});
