/**
 * Large payloads are masked off the request thread (payload-masker.ts): an adversarial ~8 MB JSON message read
 * through the real message route leaves the event loop free, and the answer is the one inline masking gives.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { GET as messageGet } from "../../app/api/streams/[name]/messages/[seq]/route";
import { secretJson } from "../../testing/fixtures/adversarial-json";
import { LIST_PAYLOAD_CHARS, type SearchEvent } from "../../lib/streams/messages";
import { REDACTED } from "../../lib/security/redaction";
import { SearchQuerySchema } from "../../lib/streams/queries";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { serverRedaction } from "../redaction";
import { createRuntime, installRuntime, type Runtime } from "../runtime";
import { readMessage } from "./messages";
import { inlineMasker } from "./payload-masker";
import { searchStream } from "./search";

const STREAM = "ADVERSARIAL";
/** secretJson's objects are smaller than it budgets: asking for 9.2 MiB gives about 8 MB. */
const EIGHT_MB = 9.2 * 1024 * 1024;

/** The message route's answer for `seq` (the raw masked bytes with `download`). */
const getMessage = (seq: number, download = false) =>
  messageGet(new Request(`http://busdeck.test/api/streams/${STREAM}/messages/${seq}${download ? "?download=1" : ""}`), {
    params: Promise.resolve({ name: STREAM, seq: String(seq) }),
  });

// Each read moves 8 MB through NATS, a thread and back: slow on a busy machine, so the timeout is generous.
describe("large payloads are masked off the request thread", { timeout: 240_000 }, () => {
  let server: NatsServerHandle;
  let rt: Runtime;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let seq: number;

  beforeAll(async () => {
    server = await startNatsServer({ extraConfig: "max_payload: 16MB" });
    rt = await createRuntime({ NATS_URL: server.url });
    installRuntime(rt);
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: STREAM, subjects: ["adversarial.>"] });
    seq = (await jetstream(nc).publish("adversarial.json", secretJson(EIGHT_MB))).seq;
  });
  afterAll(async () => {
    installRuntime(null);
    await nc?.close();
    await rt?.stop();
    await server?.stop();
  });

  // How long the event loop is held is a figure for the bench (npm run bench:message-masking), not a test.
  it("masking - reading an 8 MB adversarial JSON message through the route masks it on a thread, not the request thread", async () => {
    const before = rt.payloadMasker.maskedOnThreads;
    const received = (await rt.nc).stats().inBytes;
    const result = await (await getMessage(seq)).json();
    // The thread read it on its own connection: the runtime's connection never received the 11 MB reply.
    expect((await rt.nc).stats().inBytes - received).toBeLessThan(1_000_000);
    expect(result.size).toBeGreaterThan(8_000_000);
    expect(result.redacted).toBeGreaterThan(100_000);
    expect(rt.payloadMasker.thread).toBe("worker");
    expect(rt.payloadMasker.maskedOnThreads - before).toBe(1);
  });

  it("masking - the thread's view and download are the inline masking's, byte for byte", async () => {
    const inline = (await readMessage(jsm, STREAM, seq, inlineMasker(serverRedaction())))!;
    const view = await (await getMessage(seq)).json();
    expect(view).toEqual(JSON.parse(JSON.stringify(inline.view)));
    const download = new Uint8Array(await (await getMessage(seq, true)).arrayBuffer());
    expect(Buffer.from(download).equals(Buffer.from(inline.bytes))).toBe(true);
    expect(new TextDecoder().decode(download)).not.toContain("hunter1");
  });

  it("masking - a sequence without a message is still the 404 that says why", async () => {
    const res = await getMessage(seq + 10);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: "not_found", reason: expect.any(String) });
  });

  it("masking - a search over the large message decides on its masked bytes, masked on the pool", async () => {
    const search = async (q: string) => {
      const events: SearchEvent[] = [];
      for await (const e of searchStream(
        jetstream(nc),
        jsm,
        STREAM,
        SearchQuerySchema.parse({ q }),
        new AbortController().signal,
        undefined,
        rt.payloadMasker,
      ))
        events.push(e);
      return events.flatMap((e) => (e.type === "match" ? [e.message] : []));
    };
    expect(await search("hunter1")).toEqual([]);
    const [match] = await search(REDACTED);
    expect(match).toMatchObject({ seq, redacted: expect.any(Number) });
    expect(match!.payload.text.length).toBeLessThanOrEqual(LIST_PAYLOAD_CHARS);
  });
});
