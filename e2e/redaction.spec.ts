import { expect, test } from "@playwright/test";
import { headers, type NatsConnection } from "@nats-io/nats-core";
import { jetstream } from "@nats-io/jetstream";
import { links } from "../lib/links";
import { connectToAppNats } from "./support/app-nats";

const enc = new TextEncoder();

/**
 * Secrets published to NATS are masked at the server boundary: no HTTP answer that decodes payloads or headers
 * (message list, detail and its raw base64 copy, outcome query, outcome drill-down, the hub's feed) carries them.
 */
test.describe("redaction", () => {
  let nc: NatsConnection;
  test.beforeAll(async ({ request }) => {
    nc = await connectToAppNats(request);
    // The demo creates the history stream shortly after start; an outcome published before would be live-only.
    await expect
      .poll(async () => (await (await request.get("/api/topics/outcome_stats")).json())?.history?.mode, { timeout: 30_000 })
      .toBe("stream");
  });
  test.afterAll(async () => {
    await nc?.close();
  });

  test("a secret published to NATS never appears in an HTTP response", async ({ request }) => {
    const marker = Date.now().toString(36);
    const secrets = [`pw-${marker}-A`, `key-${marker}-B`, `bearer-${marker}-C`, `txt-${marker}-D`, `tok-${marker}-E`];
    const js = jetstream(nc);
    const h = headers();
    h.set("Authorization", `Bearer ${secrets[2]}`);
    h.set("X-Trace", `trace-${marker}`);
    const json = await js.publish(
      `sensory.e2e.redact.${marker}`,
      enc.encode(JSON.stringify({ device: `sw-${marker}`, password: secrets[0], auth: { api_key: secrets[1] } })),
      { headers: h },
    );
    const text = await js.publish(`sensory.e2e.redact.${marker}`, enc.encode(`login user=ann password=${secrets[3]} ok`));
    const outcome = {
      handler_id: "e2e_redact",
      severity: "info",
      kind: "logged",
      target: `sw-${marker}`,
      summary: `redaction probe ${marker}`,
      diagnostic: "",
      event: { subject: `sensory.e2e.redact.${marker}`, id: marker, payload: { session_token: secrets[4], device: `sw-${marker}` } },
      emitted_at: new Date().toISOString(),
    };
    await js.publish("reflex.outcome.e2e_redact", enc.encode(JSON.stringify(outcome)));

    const assertClean = (label: string, body: string) => {
      for (const s of secrets) expect(body, `${label} leaks ${s}`).not.toContain(s);
    };
    const stream = json.stream;
    const detail = await request.get(`/api/streams/${stream}/messages/${json.seq}`);
    expect(detail.ok()).toBe(true);
    const detailBody = await detail.text();
    assertClean("message detail", detailBody);
    const d = JSON.parse(detailBody);
    expect(d.headers.Authorization).toEqual(["••••• (redacted)"]);
    expect(d.headers["X-Trace"]).toEqual([`trace-${marker}`]); // what is not sensitive stays
    expect(d.payload.text).toContain(`sw-${marker}`);
    expect(d.redacted).toBe(3);
    expect(d.raw_base64).toBeUndefined(); // raw bytes only through the download below
    const download = await request.get(`/api/streams/${stream}/messages/${json.seq}?download=1`);
    expect(download.ok()).toBe(true);
    assertClean("raw download", (await download.body()).toString("utf8"));

    const textDetail = await (await request.get(`/api/streams/${stream}/messages/${text.seq}`)).text();
    assertClean("text message detail", textDetail);
    expect(JSON.parse(textDetail).payload.text).toBe("login user=ann password=••••• (redacted) ok");

    const list = await (await request.get(`/api/streams/${stream}/messages?seq=${json.seq}&size=10`)).text();
    expect(list).toContain(`sw-${marker}`);
    assertClean("message list", list);

    let id: string | undefined;
    await expect
      .poll(
        async () => {
          const body = await (await request.get("/api/outcomes?handler=e2e_redact&limit=50")).text();
          assertClean("outcome query", body);
          id = JSON.parse(body).records.find((r: { body?: { summary?: string } }) => r.body?.summary === outcome.summary)?.id;
          return id;
        },
        { timeout: 20_000 },
      )
      .toBeTruthy();
    const drill = await (await request.get(`/api/outcomes/${id}`)).text();
    expect(drill).toContain(`sw-${marker}`);
    assertClean("outcome drill-down", drill);
    assertClean("hub feed", await (await request.get("/api/topics/outcomes")).text());
    assertClean("hub feed rows", await (await request.get("/api/topics/outcome_rows")).text());
  });

  test("secrets inside JSON string values and header values never reach the message page", async ({ page }) => {
    const marker = Date.now().toString(36);
    const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJlMmUifQ.sig${marker}J`;
    const secrets = [`hunter2${marker}`, jwt, `dbpw${marker}`];
    const h = headers();
    h.set("X-Upstream", `Bearer ${jwt}`);
    const payload = {
      device: `sw-${marker}`,
      msg: `login failed password=${secrets[0]} user=ann`,
      dsn_hint: `see postgres://ann:${secrets[2]}@db/app`,
    };
    const ack = await jetstream(nc).publish(`sensory.e2e.redact.${marker}`, enc.encode(JSON.stringify(payload)), { headers: h });
    await page.goto(links.message(ack.stream, ack.seq));
    await expect(page.getByTestId("message-payload")).toContainText(`sw-${marker}`);
    await expect(page.getByTestId("message-headers")).toContainText("Bearer ••••• (redacted)");
    const html = await page.content();
    for (const s of secrets) expect(html, `message page leaks ${s}`).not.toContain(s);
  });
});
