import { afterEach, describe, expect, it } from "vitest";
import { maskPayload } from "../../lib/security/masked-payload";
import { DEFAULT_REDACTION, REDACTED } from "../../lib/security/redaction";
import { secretJson } from "../../testing/fixtures/adversarial-json";
import { compileRedaction } from "../redaction";
import { createPayloadMasker, type PayloadMasker } from "./payload-masker";
import { maskStoredReply } from "./stored-reply";

const patterns = compileRedaction(DEFAULT_REDACTION);
const LIST = { limit: 240, compact: true };
const headers = { Authorization: ["Bearer s3cret"], "Content-Type": ["application/json"] };

/** A stream "get message" API reply for `data`, as nats-server sends it. */
const apiReply = (data: Uint8Array) =>
  new TextEncoder().encode(
    JSON.stringify({
      type: "io.nats.jetstream.api.v1.stream_msg_get_response",
      message: {
        subject: "vault.login",
        seq: 7,
        time: "2026-12-07T00:00:00Z",
        data: Buffer.from(data).toString("base64"),
        hdrs: Buffer.from("NATS/1.0\r\nAuthorization: Bearer s3cret\r\n\r\n").toString("base64"),
      },
    }),
  );

// A thread loads TypeScript through tsx before its first answer: seconds on a busy machine.
describe("payload masker", { timeout: 30_000 }, () => {
  let masker: PayloadMasker | null = null;
  afterEach(() => masker?.stop());

  it("payload masker - a payload at the threshold goes to a thread: its buffer is handed over and the answer is the inline one", async () => {
    masker = createPayloadMasker({ patterns, offThreadBytes: 1024, threads: 1 });
    const data = secretJson(64 * 1024);
    const expected = maskPayload({ data: data.slice(), headers }, patterns, LIST);
    const masked = await masker.mask({ data, headers }, LIST);
    expect(data.byteLength, "the payload's buffer moved to the thread").toBe(0);
    expect(masked).toEqual(expected);
    expect(masked.redacted).toBeGreaterThan(100);
    expect(masker.thread).toBe("worker");
  });

  it("payload masker - a view into a larger buffer is copied once, the caller's buffer left whole", async () => {
    masker = createPayloadMasker({ patterns, offThreadBytes: 1024, threads: 1 });
    const whole = new Uint8Array(70 * 1024);
    const json = secretJson(64 * 1024);
    whole.set(json, 16);
    const view = whole.subarray(16, 16 + json.length);
    const masked = await masker.mask({ data: view, headers: undefined }, null);
    expect(whole.byteLength).toBe(70 * 1024);
    expect(masked).toEqual(maskPayload({ data: json, headers: undefined }, patterns, null));
  });

  it("payload masker - a small payload stays on the request thread", async () => {
    masker = createPayloadMasker({ patterns, offThreadBytes: 1024, threads: 1 });
    const data = new TextEncoder().encode('{"password":"hunter2"}');
    const masked = await masker.mask({ data, headers: undefined }, LIST);
    expect(data.byteLength).toBe(22);
    expect(masked.redacted).toBe(1);
  });

  it("payload masker - an API reply is decoded and masked on the thread as inline; an error reply is null", async () => {
    masker = createPayloadMasker({ patterns, offThreadBytes: 1024, threads: 1 });
    const reply = apiReply(secretJson(64 * 1024));
    const expected = maskStoredReply(reply.slice(), patterns, LIST);
    const read = await masker.maskReply(reply, LIST);
    expect(reply.byteLength).toBe(0);
    expect(read).toEqual(expected);
    expect(read?.masked.headers).toEqual({ Authorization: [REDACTED] });
    expect(read?.meta).toMatchObject({ seq: 7, subject: "vault.login" });
    const notFound = new TextEncoder().encode(
      JSON.stringify({ error: { code: 404, err_code: 10037, description: "no message found" }, pad: "x".repeat(2048) }),
    );
    expect(await masker.maskReply(notFound, LIST)).toBeNull();
  });

  it("payload masker - a thread that cannot start: the request is masked inline, and from then on all masking is", async () => {
    const logged: string[] = [];
    masker = createPayloadMasker({
      patterns,
      offThreadBytes: 1024,
      threads: 1,
      entry: new URL("./no-such-mask-worker.ts", import.meta.url),
      log: (m) => logged.push(m),
    });
    const data = secretJson(64 * 1024);
    const expected = maskPayload({ data: data.slice(), headers }, patterns, LIST);
    expect(await masker.mask({ data, headers }, LIST)).toEqual(expected);
    expect(masker.thread).toBe("inline");
    expect(logged.join("\n")).toMatch(/masking on the request thread from now on/);
    const next = secretJson(64 * 1024);
    await masker.mask({ data: next, headers }, LIST);
    expect(next.byteLength, "masked inline: the payload stayed here").toBeGreaterThan(0);
  });
});
