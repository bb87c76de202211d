import { spawn } from "node:child_process";
import { createServer, request as httpRequest } from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { freePort } from "../server/nats-server-process";
import { startApp, type AppHandle } from "../testing/app/app-process";
import { expectWritesNeedOperator } from "./support/operator-writes";
import { saveScreenshot } from "../testing/app/screenshots";

/**
 * Who may see what: extra busdeck servers from the same build, with token and with basic auth. Each runs its
 * own embedded nats-server without the demo (the connection topic is data enough for the SSE checks).
 */
const TOKEN = "e2e-token-7f3a9c2b4d6e8f10";
const PROTECTED = ["/", "/streams", "/api/topics/connection", "/api/events?topics=connection", "/metrics"];

/** The first `connection` event of the live stream, read by a real EventSource in the page (cookies and credentials as a browser sends them). */
function firstConnectionEvent(page: Page): Promise<{ type: string; topic?: string; data?: { status?: string } }> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const es = new EventSource("/api/events?topics=connection");
        const timer = setTimeout(() => (es.close(), reject(new Error("no connection event within 15 s"))), 15_000);
        es.onmessage = (e) => {
          const event = JSON.parse(e.data);
          if (event.topic !== "connection") return; // the stream opens with a `hello`
          clearTimeout(timer);
          es.close();
          resolve(event);
        };
      }),
  );
}

/**
 * A page on another origin, served from 127.0.0.1:port. Visited as http://localhost:port it is another site;
 * as http://127.0.0.1:port the same site as busdeck but another origin (Sec-Fetch-Site: same-site).
 */
async function startOtherOrigin(html: string): Promise<{ port: number; close(): Promise<void> }> {
  const port = await freePort();
  const server = createServer((_req, res) => res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(html));
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * The attack: a text/plain form whose body parses as JSON (`{"text":"csrf-form","pad":"="}`), and a no-cors
 * fetch with credentials; both need no CORS preflight, so the browser sends them with what it remembers.
 */
function csrfPage(busdeck: string): string {
  return `<!doctype html><form method="POST" action="${busdeck}/api/annotations" enctype="text/plain">
<input name='{"text":"csrf-form","pad":"' value='"}'></form>
<script>window.fetchDone = fetch(${JSON.stringify(`${busdeck}/api/annotations`)}, { method: "POST", mode: "no-cors", credentials: "include",
  headers: { "Content-Type": "text/plain" }, body: JSON.stringify({ text: "csrf-fetch" }) }).then((r) => r.type, (e) => "error: " + e);</script>`;
}

/** A GET with a Host header of the test's choosing (fetch does not let a caller set Host). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { Host: host } }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

test.describe("token auth", () => {
  let app: AppHandle;
  test.beforeAll(async () => {
    app = await startApp({ NATS_URL: "", BUSDECK_DEMO: "0", BUSDECK_AUTH: "token", BUSDECK_AUTH_TOKEN: TOKEN });
  });
  test.afterAll(async () => app?.stop());

  test("pages, API, SSE and /metrics refuse a request without the token", async ({ request }) => {
    for (const path of PROTECTED) {
      const res = await request.get(`${app.baseUrl}${path}`, { maxRedirects: 0 });
      expect(res.status(), path).toBe(401);
      expect(res.headers()["www-authenticate"], path).toBe('Bearer realm="busdeck"');
      expect(await res.text(), path).not.toContain(TOKEN);
    }
    const wrong = await request.get(`${app.baseUrl}/api/topics/connection`, { headers: { Authorization: "Bearer not-the-token" } });
    expect(wrong.status()).toBe(401);
    // A client cannot grant itself a role by sending the header proxy.ts sets.
    const forged = await request.get(`${app.baseUrl}/api/topics/connection`, {
      headers: { "x-busdeck-role": "operator", "x-busdeck-user": "me" },
    });
    expect(forged.status()).toBe(401);
  });

  test("/api/health stays open but reveals only liveness to anonymous probes", async ({ request }) => {
    const anonymous = await request.get(`${app.baseUrl}/api/health`);
    expect(anonymous.status()).toBe(200);
    const body = await anonymous.json();
    expect(Object.keys(body).sort()).toEqual(["nats", "status"]);
    expect(Object.keys(body.nats ?? {})).toEqual(["status"]);
    const authed = await (await request.get(`${app.baseUrl}/api/health`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json();
    expect(authed.nats.server).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(authed.identity).toEqual({ user: "token", role: "viewer" });
  });

  test("the role server code sees is the gate's decision, not a header the client sent", async ({ request }) => {
    const forged = { Authorization: `Bearer ${TOKEN}`, "x-busdeck-role": "operator", "x-busdeck-user": "admin" };
    expect((await (await request.get(`${app.baseUrl}/api/health`, { headers: forged })).json()).identity).toEqual({
      user: "token",
      role: "viewer",
    });
    // Nor on the open path without credentials.
    const anonymous = await (await request.get(`${app.baseUrl}/api/health`, { headers: { "x-busdeck-role": "operator" } })).json();
    expect(anonymous.identity).toBeUndefined();
  });

  test("a bearer token opens the API, /metrics and the SSE stream", async ({ request }) => {
    const headers = { Authorization: `Bearer ${TOKEN}` };
    expect((await request.get(`${app.baseUrl}/api/topics/connection`, { headers })).status()).toBe(200);
    expect(await (await request.get(`${app.baseUrl}/metrics`, { headers })).text()).toMatch(/^busdeck_sse_clients \d+/m);
    const res = await fetch(`${app.baseUrl}/api/events?topics=connection`, { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    await res.body?.cancel();
  });

  test("a ?token= visit sets an HttpOnly SameSite=Strict cookie, drops the token from the URL, and the live stream works", async ({
    page,
    context,
  }, testInfo) => {
    const requested: string[] = [];
    page.on("request", (r) => requested.push(r.url()));
    await page.goto(`${app.baseUrl}/streams?token=${TOKEN}`);
    await expect(page).toHaveURL(`${app.baseUrl}/streams`);
    const [cookie] = (await context.cookies(app.baseUrl)).filter((c) => c.name === "busdeck_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
    // It expires (BUSDECK_AUTH_SESSION_TTL_H, default 12 h; the server checks the date it carries too).
    expect(cookie.expires * 1000 - Date.now()).toBeGreaterThan(11.9 * 3_600_000);
    expect(cookie.expires * 1000 - Date.now()).toBeLessThanOrEqual(12 * 3_600_000);
    expect(cookie.value).not.toContain(TOKEN);
    // After the redirect no request carries the token (it would land in logs and Referer headers).
    expect(requested.slice(1).filter((u) => u.includes(TOKEN))).toEqual([]);
    await expect(page.getByTestId("nats-status")).toHaveText(/connected/i);
    expect(await firstConnectionEvent(page)).toMatchObject({ type: "state", topic: "connection", data: { status: "connected" } });
    await saveScreenshot(page, "security-token-streams", testInfo);
  });
});

test.describe("token auth with an operator token", () => {
  const OPERATOR_TOKEN = "op3rator-token-e2e-5c1d9a7b";
  let app: AppHandle;
  test.beforeAll(async () => {
    app = await startApp({
      NATS_URL: "",
      BUSDECK_DEMO: "0",
      BUSDECK_AUTH: "token",
      BUSDECK_AUTH_TOKEN: TOKEN,
      BUSDECK_AUTH_OPERATOR_TOKEN: OPERATOR_TOKEN,
    });
  });
  test.afterAll(async () => app?.stop());

  test("the operator token can Freeze and write notes; the viewer token still cannot", async ({ request }) => {
    await expectWritesNeedOperator(
      request,
      app.baseUrl,
      { headers: { Authorization: `Bearer ${TOKEN}` }, user: "token" },
      { headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` }, user: "operator-token" },
    );
  });

  test("an operator's ?token= visit gets an operator cookie: the browser offers Freeze", async ({ browser }) => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${app.baseUrl}/streams?token=${OPERATOR_TOKEN}`);
      await expect(page).toHaveURL(`${app.baseUrl}/streams`);
      await expect(page.getByTestId("freeze-button")).toBeEnabled();
      const identity = await page.evaluate(async () => (await (await fetch("/api/health")).json()).identity);
      expect(identity).toEqual({ user: "operator-token", role: "operator" });
    } finally {
      await context.close();
    }
  });
});

test.describe("token session cookie behind TLS", () => {
  let app: AppHandle;
  test.beforeAll(async () => {
    app = await startApp({
      NATS_URL: "",
      BUSDECK_DEMO: "0",
      BUSDECK_AUTH: "token",
      BUSDECK_AUTH_TOKEN: TOKEN,
      BUSDECK_AUTH_SESSION_TTL_H: "2",
    });
  });
  test.afterAll(async () => app?.stop());

  test("behind a TLS proxy the ?token= cookie is __Host- prefixed and Secure, with the configured lifetime; a cookie not issued by busdeck is refused", async ({
    request,
  }) => {
    const res = await request.get(`${app.baseUrl}/streams?token=${TOKEN}`, { headers: { "X-Forwarded-Proto": "https" }, maxRedirects: 0 });
    expect(res.status()).toBe(303);
    const setCookie = res.headers()["set-cookie"];
    expect(setCookie).toMatch(/^__Host-busdeck_session=\d+\.[\w-]{43};/);
    for (const attribute of [/; Path=\/(;|$)/, /; Max-Age=7200(;|$)/, /; Secure(;|$)/i, /; HttpOnly(;|$)/i, /; SameSite=Strict(;|$)/i])
      expect(setCookie).toMatch(attribute);
    expect(setCookie).not.toMatch(/Domain=/i);
    const cookie = setCookie.split(";")[0];
    expect((await request.get(`${app.baseUrl}/api/topics/connection`, { headers: { Cookie: cookie } })).status()).toBe(200);
    // A value that is not a dated HMAC by this token and epoch (e.g. main's undated cookie) opens nothing.
    const [, mac] = cookie.split("=")[1].split(".");
    expect((await request.get(`${app.baseUrl}/api/topics/connection`, { headers: { Cookie: `busdeck_session=${mac}` } })).status()).toBe(
      401,
    );
    expect((await request.get(`${app.baseUrl}/api/topics/connection`, { headers: { Cookie: `busdeck_session=1.${mac}` } })).status()).toBe(
      401,
    );
  });
});

test.describe("basic auth", () => {
  let app: AppHandle;
  test.beforeAll(async () => {
    app = await startApp({
      NATS_URL: "",
      BUSDECK_DEMO: "0",
      BUSDECK_AUTH: "basic",
      BUSDECK_AUTH_USERS: "ann:ann-password-1:operator\nbob:bob-password-2",
    });
  });
  test.afterAll(async () => app?.stop());

  test("every protected path challenges with Basic; a wrong password is refused", async ({ request }) => {
    for (const path of PROTECTED) {
      const res = await request.get(`${app.baseUrl}${path}`);
      expect(res.status(), path).toBe(401);
      expect(res.headers()["www-authenticate"], path).toBe('Basic realm="busdeck", charset="UTF-8"');
    }
    const wrong = `Basic ${Buffer.from("bob:ann-password-1").toString("base64")}`;
    expect((await request.get(`${app.baseUrl}/api/topics/connection`, { headers: { Authorization: wrong } })).status()).toBe(401);
  });

  test("each user gets the role the users list gives them", async ({ request }) => {
    const identity = async (user: string, password: string) =>
      (
        await (
          await request.get(`${app.baseUrl}/api/health`, {
            headers: { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` },
          })
        ).json()
      ).identity;
    expect(await identity("ann", "ann-password-1")).toEqual({ user: "ann", role: "operator" });
    expect(await identity("bob", "bob-password-2")).toEqual({ user: "bob", role: "viewer" });
  });

  test("a page on another origin cannot write with the operator's remembered credentials; the dashboard's own JSON write still works", async ({
    browser,
    request,
  }) => {
    const ann = { Authorization: `Basic ${Buffer.from("ann:ann-password-1").toString("base64")}` };
    const context = await browser.newContext({ httpCredentials: { username: "ann", password: "ann-password-1" } });
    const other = await startOtherOrigin(csrfPage(app.baseUrl));
    try {
      const page = await context.newPage();
      await page.goto(`${app.baseUrl}/api/annotations`); // the browser now holds ann's credentials for busdeck
      const attackers = [
        { url: `http://localhost:${other.port}/`, site: "cross-site" },
        { url: `http://127.0.0.1:${other.port}/`, site: "same-site" }, // another port: same site, other origin
      ];
      for (const { url, site } of attackers) {
        await page.goto(url);
        expect(await page.evaluate(() => (window as unknown as { fetchDone: Promise<string> }).fetchDone), url).toBe("opaque");
        const [answer] = await Promise.all([
          page.waitForResponse(
            (r) => r.url() === `${app.baseUrl}/api/annotations` && r.request().method() === "POST" && r.status() !== 401,
          ),
          page.evaluate(() => document.forms[0].submit()),
        ]);
        expect(answer.status(), url).toBe(403);
        expect(await answer.json(), url).toEqual({ error: "forbidden", reason: `cross-site write refused (Sec-Fetch-Site: ${site})` });
      }
      // Positive control: the same browser, same-origin, JSON — as the dashboard's note form sends it. The route
      // believes ann's operator role only with the gate's signature, so this also shows proxy.ts and the route
      // handlers share the per-process key under `next start`.
      await page.goto(`${app.baseUrl}/api/annotations`);
      const created = await page.evaluate(async () => {
        const res = await fetch("/api/annotations", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ text: "same-origin note" }),
        });
        return res.status;
      });
      expect(created).toBe(201);
      const texts = (
        (await (await request.get(`${app.baseUrl}/api/annotations`, { headers: ann })).json()) as { annotations: { text: string }[] }
      ).annotations.map((a) => a.text);
      expect(texts).toContain("same-origin note");
      expect(texts.filter((t) => t.startsWith("csrf"))).toEqual([]);
    } finally {
      await context.close();
      await other.close();
    }
  });

  test("a script's write must be JSON; a form-encoded one is refused with the reason", async ({ request }) => {
    const ann = { Authorization: `Basic ${Buffer.from("ann:ann-password-1").toString("base64")}` };
    const form = await request.post(`${app.baseUrl}/api/annotations`, {
      headers: { ...ann, "Content-Type": "text/plain" },
      data: JSON.stringify({ text: "csrf-script" }),
    });
    expect(form.status()).toBe(403);
    expect(await form.json()).toEqual({ error: "forbidden", reason: "writes take Content-Type: application/json (got text/plain)" });
    const foreign = await request.post(`${app.baseUrl}/api/annotations`, {
      headers: { ...ann, Origin: "http://evil.example" },
      data: { text: "csrf-origin" },
    });
    expect(foreign.status()).toBe(403);
    expect((await foreign.json()).reason).toMatch(/^cross-origin write refused \(Origin http:\/\/evil\.example is not 127\.0\.0\.1:\d+\)$/);
  });

  test("failed logins are throttled per address: past 10 the right password is refused too, from that address only", async ({
    request,
  }) => {
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
    const guesser = { "X-Forwarded-For": "203.0.113.7" };
    for (let i = 0; i < 10; i++) {
      expect(
        (
          await request.get(`${app.baseUrl}/api/topics/connection`, {
            headers: { ...guesser, Authorization: basic("bob", `guess-${i}-xxxxxxx`) },
          })
        ).status(),
      ).toBe(401);
    }
    const blocked = await request.get(`${app.baseUrl}/api/topics/connection`, {
      headers: { ...guesser, Authorization: basic("ann", "ann-password-1") },
    });
    expect(blocked.status()).toBe(429);
    expect(Number(blocked.headers()["retry-after"])).toBeGreaterThan(0);
    expect(
      (await request.get(`${app.baseUrl}/api/topics/connection`, { headers: { Authorization: basic("ann", "ann-password-1") } })).status(),
    ).toBe(200);
  });

  test("a browser with credentials sees pages and receives the SSE stream", async ({ browser }, testInfo) => {
    const context = await browser.newContext({ httpCredentials: { username: "bob", password: "bob-password-2" } });
    try {
      const page = await context.newPage();
      await page.goto(`${app.baseUrl}/consumers`);
      await expect(page.getByTestId("nats-status")).toHaveText(/connected/i);
      expect(await firstConnectionEvent(page)).toMatchObject({ type: "state", topic: "connection", data: { status: "connected" } });
      await saveScreenshot(page, "security-basic-consumers", testInfo);
    } finally {
      await context.close(); // an open live stream would hold the app's shutdown
    }
  });
});

test.describe("trusted proxy header", () => {
  let app: AppHandle;
  test.beforeAll(async () => {
    app = await startApp({ NATS_URL: "", BUSDECK_DEMO: "0", BUSDECK_AUTH: "proxy", BUSDECK_AUTH_PROXY_ROLE_HEADER: "X-Forwarded-Groups" });
  });
  test.afterAll(async () => app?.stop());

  test("without the proxy's user header everything protected is refused; with it, the user and role pass through", async ({ request }) => {
    for (const path of PROTECTED) {
      const res = await request.get(`${app.baseUrl}${path}`);
      expect(res.status(), path).toBe(401);
      expect(res.headers()["www-authenticate"], path).toBeUndefined(); // nothing a browser could answer
    }
    const viaProxy = { "X-Forwarded-User": "zoë@example.com" };
    expect((await request.get(`${app.baseUrl}/api/topics/connection`, { headers: viaProxy })).status()).toBe(200);
    expect((await (await request.get(`${app.baseUrl}/api/health`, { headers: viaProxy })).json()).identity).toEqual({
      user: "zoë@example.com",
      role: "viewer",
    });
    const operator = { ...viaProxy, "X-Forwarded-Groups": "operator" };
    expect((await (await request.get(`${app.baseUrl}/api/health`, { headers: operator })).json()).identity).toEqual({
      user: "zoë@example.com",
      role: "operator",
    });
  });
});

test.describe("none mode", () => {
  let app: AppHandle;
  test.beforeAll(async () => {
    app = await startApp({ NATS_URL: "", BUSDECK_DEMO: "0", BUSDECK_AUTH: "none", BUSDECK_ALLOWED_HOSTS: "busdeck.test" });
  });
  test.afterAll(async () => app?.stop());

  test("a request under a rebound name (DNS rebinding) is refused; loopback names and BUSDECK_ALLOWED_HOSTS pass", async () => {
    const port = new URL(app.baseUrl).port;
    const url = `${app.baseUrl}/api/topics/connection`;
    const rebound = await getWithHost(url, `evil.example:${port}`);
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).reason).toMatch(/^Host evil\.example is not a loopback name/);
    expect((await getWithHost(`${app.baseUrl}/`, `evil.example:${port}`)).status).toBe(403);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `busdeck.test:${port}`]) {
      expect((await getWithHost(url, host)).status, host).toBe(200);
    }
  });

  test("writes are checked without any login too: a cross-site form post is refused", async ({ request }) => {
    const res = await request.post(`${app.baseUrl}/api/annotations`, {
      headers: { "Sec-Fetch-Site": "cross-site", "Content-Type": "text/plain" },
      data: '{"text":"csrf-none"}',
    });
    expect(res.status()).toBe(403);
    expect((await res.json()).reason).toBe("cross-site write refused (Sec-Fetch-Site: cross-site)");
  });
});

test("busdeck refuses to start with BUSDECK_AUTH=none on a non-loopback address", async () => {
  const port = await freePort();
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "0.0.0.0"], {
    env: {
      ...process.env,
      BUSDECK_DIST_DIR: process.env.BUSDECK_DIST_DIR ?? ".next-e2e",
      NATS_URL: "",
      BUSDECK_DEMO: "0",
      BUSDECK_AUTH: "none",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => (child.kill("SIGKILL"), resolve(null)), 30_000);
    child.once("exit", (c) => (clearTimeout(timer), resolve(c)));
  });
  expect(code, output).toBe(1);
  expect(output).toMatch(/BUSDECK_AUTH=none is only allowed when BUSDECK_HOST is a loopback address, but BUSDECK_HOST=0\.0\.0\.0/);
});
