import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { headers, type NatsConnection } from "@nats-io/nats-core";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { links } from "../lib/links";
import { connectToAppNats } from "./support/app-nats";
import { saveScreenshot } from "../testing/app/screenshots";

/**
 * Hostile input: payloads, subjects, headers, handler ids and lock values
 * carrying HTML/script, control characters, invalid UTF-8 and deeply nested JSON are published to the app's
 * real nats-server and viewed in real Chromium. Nothing may execute (no dialog, no request to the injected
 * host), every view still renders, and the hostile text is shown as text.
 */
const INJECTED_HOST = "injected.invalid";
const STREAM = "HOSTILE_INPUT";
const SCRIPT = `<script>alert("payload")</script>`;
const IMG = `<img src="http://${INJECTED_HOST}/payload.png" onerror="alert('img');fetch('http://${INJECTED_HOST}/x')">`;
const enc = new TextEncoder();

/** Each message: subject, body bytes, optional headers. */
const MESSAGES: { subject: string; data: Uint8Array; headers?: Record<string, string> }[] = [
  { subject: "hostile.script", data: enc.encode(SCRIPT) },
  {
    subject: "hostile.img",
    data: enc.encode(IMG),
    headers: { "X-Hostile": `<script>alert('hdr')</script>`, "X-Img": `<img src=http://${INJECTED_HOST}/hdr onerror=alert(2)>` },
  },
  { subject: "hostile.json", data: enc.encode(JSON.stringify({ note: IMG, link: "javascript:alert(1)", html: SCRIPT })) },
  { subject: "hostile.control", data: enc.encode("a\u0000b\u0007c\u001b[31mred\u001b[0m\u202Eevil\u2028line") },
  { subject: "hostile.utf8", data: Uint8Array.from([0xff, 0xfe, 0xc3, 0x28, ...enc.encode("<b>bold?</b>"), 0xe2, 0x82]) },
  { subject: "hostile.nested", data: enc.encode("[".repeat(5_000) + "]".repeat(5_000)) },
  { subject: "hostile.nested-object", data: enc.encode('{"a":'.repeat(3_000) + "1" + "}".repeat(3_000)) },
  { subject: "hostile.<svg/onload=alert(1)", data: enc.encode("subject carries markup") },
];

/** Records what must never happen on a page: a dialog, or any request to the injected host. */
function watchForExecution(page: Page) {
  const seen: string[] = [];
  page.on("dialog", (d) => {
    seen.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on("request", (r) => {
    if (r.url().includes(INJECTED_HOST)) seen.push(`request: ${r.url()}`);
  });
  // A crash (e.g. a stack overflow on deep JSON) surfaces as a page error. React's hydration-mismatch #418 is
  // left out: /outcomes shows it intermittently without any hostile input, so it says nothing about the input.
  page.on("pageerror", (e) => {
    if (!/Minified React error #418/.test(e.message)) seen.push(`page error on ${new URL(page.url()).pathname}: ${e.message}`);
  });
  return seen;
}

/**
 * The CSP would block an injected handler or image even if a view slipped, hiding the slip from the dialog and
 * request checks; so also check that no hostile markup became an element.
 */
async function expectNoInjectedMarkup(page: Page) {
  await expect(page.locator(`[src*="${INJECTED_HOST}"], [onerror], [onload], svg[onload]`)).toHaveCount(0);
  expect(await page.locator("script:not([src])").evaluateAll((els) => els.filter((e) => e.textContent?.includes("alert(")).length)).toBe(0);
}

test.describe("hostile input", () => {
  let nc: NatsConnection;

  test.beforeAll(async ({ request }) => {
    nc = await connectToAppNats(request);
    const jsm = await jetstreamManager(nc);
    // from scratch: a run before this one on the same server (--repeat-each) left its messages in the stream
    await jsm.streams.delete(STREAM).catch(() => undefined);
    await jsm.streams.add({ name: STREAM, subjects: ["hostile.>"] });
    const js = jetstream(nc);
    for (const m of MESSAGES) {
      const h = m.headers ? headers() : undefined;
      for (const [k, v] of Object.entries(m.headers ?? {})) h!.set(k, v);
      await js.publish(m.subject, m.data, { headers: h });
    }
    // A hostile handler id (in the subject and the body) and a hostile lock holder.
    const outcome = {
      handler_id: `<img src=http://${INJECTED_HOST}/handler onerror=alert(3)>`,
      severity: "high",
      kind: "errored",
      target: SCRIPT,
      summary: IMG,
      diagnostic: `Traceback (most recent call last):\n  File "<script>", line 1\nValueError: ${SCRIPT}`,
      event: { subject: "hostile.script", payload: { html: IMG } },
      emitted_at: new Date().toISOString(),
    };
    await js.publish("reflex.outcome.<svg/onload=alert(4)", enc.encode(JSON.stringify(outcome)));
    nc.publish("reflex.outcome.hostile", Uint8Array.from([0xff, 0x3c, 0x69, 0x6d, 0x67, 0x3e]));
    const kv = await new Kvm(nc).create("locks");
    await kv.put("hostile", JSON.stringify({ holder_id: `<img src=http://${INJECTED_HOST}/lock onerror=alert(5)>`, ttl_s: 10 }));
    await kv.put("hostile-plain", enc.encode(`\u0000<script>alert(6)</script>`));
  });

  test.afterAll(async () => {
    await nc?.close();
  });

  test("streams list and message browser show hostile subjects and payloads as text", async ({ page }, testInfo) => {
    const seen = watchForExecution(page);
    await page.goto(links.streams());
    const row = page.getByTestId(`stream-row-${STREAM}`);
    await expect(row).toBeVisible();
    await expect(row.getByTestId("stream-messages")).toHaveText(String(MESSAGES.length));

    await page.goto(links.browse(STREAM, { seq: 1 }));
    const table = page.getByTestId("message-table");
    for (let seq = 1; seq <= MESSAGES.length; seq++) await expect(table.getByTestId(`message-row-${seq}`)).toBeVisible();
    await expect(table).toContainText(SCRIPT);
    await expect(table).toContainText("hostile.<svg/onload=alert(1)");
    await expectNoInjectedMarkup(page);
    await saveScreenshot(page, "hostile-message-browser", testInfo);
    expect(seen).toEqual([]);
  });

  test("every message's detail page renders its payload and headers as text", async ({ page }, testInfo) => {
    const seen = watchForExecution(page);
    for (let seq = 1; seq <= MESSAGES.length; seq++) {
      await page.goto(links.message(STREAM, seq));
      await expect(page.getByTestId("message-seq"), `seq ${seq}`).toHaveText(String(seq));
      await expect(page.getByTestId("message-subject")).toHaveText(MESSAGES[seq - 1].subject);
      await expect(page.getByTestId("message-payload")).toBeVisible();
      await expectNoInjectedMarkup(page);
      if (seq === 2) {
        await expect(page.getByTestId("payload-text")).toHaveText(IMG);
        await expect(page.getByTestId("message-headers")).toContainText(`<script>alert('hdr')</script>`);
        await saveScreenshot(page, "hostile-message-detail", testInfo);
      }
      if (seq === 5) await expect(page.getByTestId("payload-kind")).toContainText(/binary|hex/i); // invalid UTF-8: shown as hex, not as mangled text
    }
    expect(seen).toEqual([]);
  });

  test("reflex outcomes and failover render hostile handler ids and lock holders as text", async ({ page }, testInfo) => {
    const seen = watchForExecution(page);
    await page.goto(links.outcomes());
    await expect(page.getByTestId("outcome-row").first()).toBeVisible();
    await expect(page.locator("body")).toContainText(`<img src=http://${INJECTED_HOST}/handler onerror=alert(3)>`);
    await expectNoInjectedMarkup(page);
    await saveScreenshot(page, "hostile-outcomes", testInfo);

    await page.goto(links.failover());
    await expect(page.getByTestId("lock-card-dedup")).toBeVisible();
    await expect(page.locator("body")).toContainText(`<img src=http://${INJECTED_HOST}/lock onerror=alert(5)>`);
    await expectNoInjectedMarkup(page);
    await saveScreenshot(page, "hostile-failover", testInfo);
    expect(seen).toEqual([]);
  });
});

/** Search must decide on what it shows, or it answers "is the masked secret X?" */
test.describe("search is no oracle for masked values", () => {
  const VAULT = "HOSTILE_VAULT";
  const SECRET = "hunter2-e2e-Qx";
  let nc: NatsConnection;

  test.beforeAll(async ({ request }) => {
    nc = await connectToAppNats(request);
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(VAULT).catch(() => undefined);
    await jsm.streams.add({ name: VAULT, subjects: ["vault.>"] });
    await jetstream(nc).publish("vault.login", enc.encode(JSON.stringify({ user: "ada", password: SECRET })));
  });

  test.afterAll(async () => {
    await nc?.close();
  });

  async function search(page: Page, mode: "substring" | "predicate", q: string) {
    await page.getByTestId("search-mode").selectOption(mode);
    await page.getByTestId("search-query").fill(q);
    await page.getByTestId("search-run").click();
    await expect(page.getByTestId("search-status")).not.toContainText("scanning…");
    return (await page.getByTestId("search-status").textContent()) ?? "";
  }

  test("a right guess and a wrong guess read the same, and a predicate on a masked field says why it is refused", async ({
    page,
  }, testInfo) => {
    await page.goto(links.browse(VAULT));
    await expect(page.getByTestId("message-row-1")).toBeVisible();
    const right = await search(page, "substring", SECRET);
    const wrong = await search(page, "substring", "hunter3-e2e-Qx");
    expect(right).toContain("matched 0");
    expect(right).toEqual(wrong);
    await search(page, "predicate", 'password >= "m"');
    await expect(page.getByTestId("search-status")).toContainText('"password" is masked');
    await saveScreenshot(page, "search-masked-predicate", testInfo);
    const api = await page.request.get(`/api/streams/${VAULT}/search?mode=predicate&q=${encodeURIComponent('password >= "m"')}`);
    expect(api.status()).toBe(400);
    expect((await api.json()).reason).toMatch(/^q: "password" is masked/);
  });
});

/** Every dynamic route under app/ (route.ts or page.tsx) with its parameter names, found by walking the tree. */
function dynamicRoutes(kind: "route.ts" | "page.tsx"): { path: string; params: string[] }[] {
  const app = join(import.meta.dirname, "..", "app");
  return (readdirSync(app, { recursive: true }) as string[])
    .filter((f) => f.endsWith(`/${kind}`) && f.includes("["))
    .map((f) => ({ path: `/${f.slice(0, -kind.length - 1)}`, params: [...f.matchAll(/\[(\w+)\]/g)].map((m) => m[1]!) }));
}

/** The route's URL with `bad` in one parameter and a plain value in the others. */
function urlWith(path: string, param: string, bad: string): string {
  return path.replace(/\[(\w+)\]/g, (_, p: string) => (p === param ? bad : "1"));
}

test.describe("hostile URLs", () => {
  // `%25E0` reaches a handler as `%E0` (Next decodes a segment once); decoding it again used to throw a 500.
  // A raw `%E0` never reaches a handler: Next's router fails to decode it and answers 500 itself (16.4: its
  // 400 goes through a pages-router /_error this app does not have) — outside what a route can change.
  test("every dynamic API route answers an undecodable segment with a 400 naming the parameter", async ({ request, baseURL }) => {
    const routes = dynamicRoutes("route.ts");
    expect(routes.length).toBeGreaterThanOrEqual(13);
    const answers: string[] = [];
    for (const { path, params } of routes) {
      const source = readFileSync(join(import.meta.dirname, "..", "app", path, "route.ts"), "utf8");
      const methods = [...source.matchAll(/export (?:async function|const) (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!);
      for (const param of params) {
        for (const method of methods) {
          const url = urlWith(path, param, "%25E0");
          const res = await request.fetch(url, { method, headers: { Origin: baseURL! }, failOnStatusCode: false });
          const reason = res.status() === 400 ? ((await res.json()) as { reason: string }).reason : "";
          answers.push(`${method} ${url} ${res.status()} ${reason.startsWith(`${param}: `) ? "names it" : reason}`);
        }
      }
    }
    expect(answers.filter((a) => !/ 400( names it)?$/.test(a))).toEqual([]);
  });

  // A guard more than a regression test: main's pages already answered these without a server error (a build
  // of main, run with this spec, passed it); they now decode through the same helper and must keep doing so.
  test("every dynamic page answers an undecodable segment without a server error", async ({ request }) => {
    const pages = dynamicRoutes("page.tsx");
    expect(pages.length).toBeGreaterThanOrEqual(5);
    const answers: string[] = [];
    for (const { path, params } of pages) {
      for (const param of params) {
        const url = urlWith(path, param, "%25E0");
        answers.push(`${url} ${(await request.get(url, { failOnStatusCode: false })).status()}`);
      }
    }
    // 404 where the page says notFound() before anything streamed, 200 where the shell streamed first.
    expect(answers.filter((a) => !/ (200|404)$/.test(a))).toEqual([]);
  });

  test("a raw undecodable path (%E0, not %25E0) is a 400 from the gate, never a router 500", async ({ baseURL }) => {
    // fetch, not Playwright's request: it would normalize the path before sending it
    for (const path of ["/streams/%E0", "/api/streams/%E0/info", "/api/streams/x/messages/%E0", "/%E0"]) {
      const res = await fetch(`${baseURL}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
  });

  // /_next/image: with optimisation off it fetches and serves nothing (and the gate covers it too).
  test("the image optimiser is off: /_next/image answers 404 whatever it is asked for", async ({ request }) => {
    for (const url of [
      "/_next/image?url=%2Ficon.svg&w=64&q=75",
      "/_next/image?url=%2Fapi%2Fhealth&w=64&q=75",
      `/_next/image?url=${encodeURIComponent(`http://${INJECTED_HOST}/x.png`)}&w=64&q=75`,
    ]) {
      const res = await request.get(url, { failOnStatusCode: false });
      expect({ url, status: res.status() }).toEqual({ url, status: 404 });
      expect(res.headers()["content-type"] ?? "").not.toMatch(/^image\//);
    }
  });
});
