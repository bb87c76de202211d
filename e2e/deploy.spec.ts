import { execFile } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { ALL_TOPICS } from "../lib/wire/topics";
import { startNatsServer, type NatsServerHandle } from "../server/nats-server-process";
import { startApp, type AppHandle } from "../testing/app/app-process";
import { saveScreenshot } from "../testing/app/screenshots";

/**
 * One extra build serves two questions, to keep CI time down:
 * - the image's runtime shape: `output: 'standalone'` (BUSDECK_STANDALONE=1), static assets copied where the
 *   Dockerfile copies them, `node server.js` with HOSTNAME/PORT and an external NATS_URL (no Docker engine here);
 * - credentials never reach the browser: the build runs with distinctive secrets in its environment, and the
 *   running server has them too (NATS user/password and token, the auth token).
 */
const SECRETS = {
  NATS_TOKEN: "natsTok-9d1c7e55b0a24f3f",
  NATS_PASSWORD: "natsPw-4e8a2c90d1f3b7a6",
  BUSDECK_AUTH_TOKEN: "authTok-b7c3e9f1a5d2c8e4",
  BUSDECK_AUTH_OPERATOR_TOKEN: "opTok-2f6a8d1c4e9b7a30",
};
const DIST = `${process.env.BUSDECK_DIST_DIR ?? ".next-e2e"}-standalone`;
const STANDALONE = join(DIST, "standalone");
const bearer = { Authorization: `Bearer ${SECRETS.BUSDECK_AUTH_TOKEN}` };

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

function leakedSecrets(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}

test.describe.configure({ mode: "serial" });

test.describe("standalone build with secrets in its environment", () => {
  let nats: NatsServerHandle;
  let app: AppHandle;

  test.beforeAll(async () => {
    test.setTimeout(480_000); // one `next build` (~25 s alone, minutes on a busy 2-core machine)
    rmSync(DIST, { recursive: true, force: true });
    await promisify(execFile)(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
      env: { ...process.env, ...SECRETS, NATS_USER: "busdeck", BUSDECK_DIST_DIR: DIST, BUSDECK_STANDALONE: "1" },
      maxBuffer: 64 * 1024 * 1024,
    });
    // Exactly the Dockerfile's copies: the traced server, its static assets beside it, public/.
    cpSync(join(DIST, "static"), join(STANDALONE, DIST, "static"), { recursive: true });
    if (existsSync("public")) cpSync("public", join(STANDALONE, "public"), { recursive: true });

    nats = await startNatsServer({ extraConfig: `authorization { users: [ { user: busdeck, password: "${SECRETS.NATS_PASSWORD}" } ] }` });
    app = await startApp(
      {
        ...SECRETS,
        NATS_URL: nats.url,
        NATS_USER: "busdeck",
        BUSDECK_AUTH: "token",
        BUSDECK_DEMO: "1",
        BUSDECK_DEMO_SEED: "42",
        BUSDECK_DEMO_RATE: "2",
      },
      // As the image runs it: from the standalone dir, configured by PORT/HOSTNAME (loopback here; 0.0.0.0 in the image).
      {
        command: (port) => ({
          args: [resolve(STANDALONE, "server.js")],
          cwd: STANDALONE,
          env: { PORT: String(port), HOSTNAME: "127.0.0.1", NODE_ENV: "production" },
        }),
      },
    );
  });

  test.afterAll(async () => {
    await app?.stop();
    await nats?.stop();
  });

  test("the standalone server serves health, the API and pages with NATS from NATS_URL", async ({ page }, testInfo) => {
    expect(existsSync(join(STANDALONE, "server.js"))).toBe(true);
    const anonymous = await (await fetch(`${app.baseUrl}/api/health`)).json();
    expect(anonymous.status).toBe("ok");
    await expect
      .poll(async () => (await (await fetch(`${app.baseUrl}/api/health`, { headers: bearer })).json()).nats?.server, { timeout: 20_000 })
      .toBe(nats.url.replace("nats://", ""));
    const html = await fetch(`${app.baseUrl}/streams`, { headers: bearer });
    expect(html.status).toBe(200);
    expect(html.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-/);
    // Static assets resolve from where the Dockerfile copies them.
    const script = /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(await html.text())?.[1];
    expect(script).toBeTruthy();
    expect((await fetch(`${app.baseUrl}${script}`)).status).toBe(200);
    // The outcome summary's thread is a chunk of its own: the standalone output carries it.
    await expect
      .poll(
        async () =>
          (await (await fetch(`${app.baseUrl}/metrics`, { headers: bearer })).text()).match(
            /^busdeck_outcome_fold_thread\{thread="(\w+)"\} 1$/m,
          )?.[1],
        { timeout: 20_000 },
      )
      .toBe("worker");

    await page.goto(`${app.baseUrl}/streams?token=${SECRETS.BUSDECK_AUTH_TOKEN}`);
    await expect(page.getByTestId("stream-row-routing-decisions")).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId("nats-status")).toHaveText(/connected/i);
    await saveScreenshot(page, "deploy-standalone-streams", testInfo);
  });

  test("no secret appears anywhere under the build's static dir", () => {
    const files = filesUnder(join(DIST, "static"));
    expect(files.length).toBeGreaterThan(10);
    const leaks = files.flatMap((f) => leakedSecrets(readFileSync(f).toString("latin1")).map((s) => `${s} in ${f}`));
    expect(leaks).toEqual([]);
  });

  test("no secret appears in any HTTP response: pages, topics, health, metrics, 401s, the token redirect, the live stream", async () => {
    const seen: string[] = [];
    const check = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${app.baseUrl}${path}`, { redirect: "manual", ...init });
      const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
      for (const leak of leakedSecrets(`${headers}\n${await res.text()}`)) seen.push(`${leak} in ${res.status} ${path}`);
      return res;
    };
    for (const path of ["/", "/streams", "/streams/routing-decisions", "/consumers", "/outcomes", "/failover"]) {
      expect((await check(path, { headers: bearer })).status, path).toBe(200);
      expect((await check(path)).status, path).toBe(401);
    }
    for (const topic of ALL_TOPICS) expect((await check(`/api/topics/${topic}`, { headers: bearer })).status, topic).toBe(200);
    await check("/api/health");
    await check("/api/health", { headers: bearer });
    expect((await check("/metrics", { headers: bearer })).status).toBe(200);
    await check("/api/topics/streams", { headers: { Authorization: "Bearer wrong-token-000000" } });
    const redirect = await check(`/streams?token=${SECRETS.BUSDECK_AUTH_TOKEN}`);
    expect(redirect.status).toBe(303);
    // Location and Set-Cookie went through the leak check with the other headers.
    expect(new URL(redirect.headers.get("location") ?? "", app.baseUrl).toString()).toBe(`${app.baseUrl}/streams`);

    // The first seconds of the live stream, every topic.
    const abort = new AbortController();
    const sse = await fetch(`${app.baseUrl}/api/events?topics=${ALL_TOPICS.join(",")}`, { headers: bearer, signal: abort.signal });
    expect(sse.status).toBe(200);
    const reader = sse.body!.getReader();
    const decoder = new TextDecoder();
    let stream = "";
    const until = Date.now() + 4_000;
    while (Date.now() < until) {
      const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), until - Date.now()))]);
      if (!next || next.done) break;
      stream += decoder.decode(next.value, { stream: true });
    }
    abort.abort();
    expect(stream).toContain('"topic":"streams"'); // the window really held data
    seen.push(...leakedSecrets(stream).map((s) => `${s} in /api/events`));
    expect(seen).toEqual([]);
  });
});
