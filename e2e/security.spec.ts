import { spawn } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";
import { freePort } from "../server/nats-server-process";
import { startApp, type AppHandle } from "./support/app-process";
import { saveScreenshot } from "./support/screenshots";

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
    const forged = await request.get(`${app.baseUrl}/api/topics/connection`, { headers: { "x-busdeck-role": "operator", "x-busdeck-user": "me" } });
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
    expect((await (await request.get(`${app.baseUrl}/api/health`, { headers: forged })).json()).identity).toEqual({ user: "token", role: "viewer" });
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

  test("a ?token= visit sets an HttpOnly SameSite=Strict cookie, drops the token from the URL, and the live stream works", async ({ page, context }, testInfo) => {
    const requested: string[] = [];
    page.on("request", (r) => requested.push(r.url()));
    await page.goto(`${app.baseUrl}/streams?token=${TOKEN}`);
    await expect(page).toHaveURL(`${app.baseUrl}/streams`);
    const [cookie] = (await context.cookies(app.baseUrl)).filter((c) => c.name === "busdeck_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
    expect(cookie.value).not.toContain(TOKEN);
    // After the redirect no request carries the token (it would land in logs and Referer headers).
    expect(requested.slice(1).filter((u) => u.includes(TOKEN))).toEqual([]);
    await expect(page.getByTestId("nats-status")).toHaveText(/connected/i);
    expect(await firstConnectionEvent(page)).toMatchObject({ type: "state", topic: "connection", data: { status: "connected" } });
    await saveScreenshot(page, "security-token-streams", testInfo);
  });
});

test.describe("basic auth", () => {
  let app: AppHandle;
  test.beforeAll(async () => {
    app = await startApp({ NATS_URL: "", BUSDECK_DEMO: "0", BUSDECK_AUTH: "basic", BUSDECK_AUTH_USERS: "ann:ann-password-1:operator\nbob:bob-password-2" });
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
      (await (await request.get(`${app.baseUrl}/api/health`, { headers: { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` } })).json()).identity;
    expect(await identity("ann", "ann-password-1")).toEqual({ user: "ann", role: "operator" });
    expect(await identity("bob", "bob-password-2")).toEqual({ user: "bob", role: "viewer" });
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
    expect((await (await request.get(`${app.baseUrl}/api/health`, { headers: viaProxy })).json()).identity).toEqual({ user: "zoë@example.com", role: "viewer" });
    const operator = { ...viaProxy, "X-Forwarded-Groups": "operator" };
    expect((await (await request.get(`${app.baseUrl}/api/health`, { headers: operator })).json()).identity).toEqual({ user: "zoë@example.com", role: "operator" });
  });
});

test("busdeck refuses to start with BUSDECK_AUTH=none on a non-loopback address", async () => {
  const port = await freePort();
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "0.0.0.0"], {
    env: { ...process.env, BUSDECK_DIST_DIR: process.env.BUSDECK_DIST_DIR ?? ".next-e2e", NATS_URL: "", BUSDECK_DEMO: "0", BUSDECK_AUTH: "none" },
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
