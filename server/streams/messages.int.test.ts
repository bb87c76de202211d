import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { headers, type NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import type { SearchEvent } from "../../lib/streams/messages";
import { BrowseQuerySchema, SearchQuerySchema } from "../../lib/streams/queries";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { browseMessages, findSeqAtTime, getMessageDetail, readMessage, subjectCounts } from "./messages";
import { searchStream } from "./search";
import { tailStream } from "./tail";

const STREAM = "ORDERS";
const enc = new TextEncoder();
const browse = (jsm: JetStreamManager, q: Record<string, string>) => browseMessages(jsm, STREAM, BrowseQuerySchema.parse(q));
const seqs = (page: { messages: { seq: number }[] }) => page.messages.map((m) => m.seq);

async function collect(gen: AsyncGenerator<SearchEvent>, onEvent?: (e: SearchEvent) => void): Promise<SearchEvent[]> {
  const out: SearchEvent[] = [];
  for await (const e of gen) {
    out.push(e);
    onEvent?.(e);
  }
  return out;
}

describe("message browser against nats-server", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let js: JetStreamClient;

  beforeAll(async () => {
    server = await startNatsServer({});
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
    js = jetstream(nc);
    await jsm.streams.add({ name: STREAM, subjects: ["orders.>"] });
    // 1..30: JSON orders alternating eu/us with headers; 31 malformed JSON; 32 binary; then seq 3 deleted.
    for (let i = 1; i <= 30; i++) {
      const region = i % 2 ? "eu" : "us";
      const h = headers();
      h.set("Content-Type", "application/json");
      h.set("Nats-Msg-Id", `order-${i}`);
      await js.publish(`orders.${region}.created`, enc.encode(JSON.stringify({ id: i, region, amount: i * 2 })), { headers: h });
    }
    const bad = headers();
    bad.set("Content-Type", "application/json");
    await js.publish("orders.eu.broken", enc.encode('{"id": 31, "amount": '), { headers: bad });
    await js.publish("orders.us.blob", new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00, 0xff]));
    await jsm.streams.deleteMessage(STREAM, 3);
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it("browse - the default page is the newest, in ascending order", async () => {
    const page = await browse(jsm, { size: "10" });
    expect(seqs(page)).toEqual([23, 24, 25, 26, 27, 28, 29, 30, 31, 32]);
    expect(page).toMatchObject({ first_seq: 1, last_seq: 32, older_seq: 22, newer_seq: null });
  });

  it("browse - forward from the first skips the deleted sequence and links the next page", async () => {
    const page = await browse(jsm, { dir: "forward", size: "10" });
    expect(seqs(page)).toEqual([1, 2, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(page.newer_seq).toBe(12);
    expect(page.older_seq).toBeNull();
  });

  it("browse - jump to a sequence, forward and backward", async () => {
    expect(seqs(await browse(jsm, { seq: "20", size: "10" }))).toEqual([20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
    expect(seqs(await browse(jsm, { seq: "5", dir: "backward", size: "10" }))).toEqual([1, 2, 4, 5]);
  });

  it("browse - by subject filter with wildcards, both directions", async () => {
    const fwd = await browse(jsm, { subject: "orders.eu.*", dir: "forward", size: "10" });
    expect(seqs(fwd)).toEqual([1, 5, 7, 9, 11, 13, 15, 17, 19, 21]); // 3 was deleted
    expect(fwd.messages.every((m) => m.subject.startsWith("orders.eu."))).toBe(true);
    const back = await browse(jsm, { subject: "orders.*.created", dir: "backward", size: "10" });
    expect(seqs(back)).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
    const sparse = await browse(jsm, { subject: "orders.us.blob", dir: "backward", size: "10" });
    expect(seqs(sparse)).toEqual([32]);
  });

  it("browse - by start time finds the first message stored at or after it", async () => {
    const m12 = await getMessageDetail(jsm, STREAM, 12);
    const page = await browse(jsm, { start_time: new Date(Date.parse(m12!.time)).toISOString(), size: "10" });
    // Stored times have nanoseconds; at millisecond resolution an earlier message may share the millisecond.
    expect(page.messages[0]!.seq).toBeLessThanOrEqual(12);
    expect(seqs(page)).toContain(12);
    expect(await findSeqAtTime(jsm, STREAM, { first_seq: 1, last_seq: 32 }, "2000-01-01T00:00:00Z")).toBe(1);
    expect(await findSeqAtTime(jsm, STREAM, { first_seq: 1, last_seq: 32 }, "2100-01-01T00:00:00Z")).toBeNull();
    const future = await browse(jsm, { start_time: "2100-01-01T00:00:00Z" });
    expect(future.messages).toEqual([]);
    // Backward from a time: only messages stored before it, newest last.
    const m13 = await getMessageDetail(jsm, STREAM, 13);
    const before = await browse(jsm, { start_time: new Date(Date.parse(m13!.time)).toISOString(), dir: "backward", size: "10" });
    expect(before.messages.length).toBeGreaterThan(0);
    expect(before.messages.every((m) => Date.parse(m.time) < Date.parse(new Date(Date.parse(m13!.time)).toISOString()))).toBe(true);
    expect(seqs(await browse(jsm, { start_time: "2000-01-01T00:00:00Z", dir: "backward" }))).toEqual([]);
    expect(seqs(await browse(jsm, { start_time: "2100-01-01T00:00:00Z", dir: "backward", size: "10" }))).toEqual([
      23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
    ]);
  });

  it("detail - headers and payloads: JSON, malformed JSON with a warning, binary as hex", async () => {
    const json = await getMessageDetail(jsm, STREAM, 2);
    expect(json).toMatchObject({
      seq: 2,
      subject: "orders.us.created",
      headers: { "Content-Type": ["application/json"], "Nats-Msg-Id": ["order-2"] },
    });
    expect(json!.payload).toMatchObject({ kind: "json", text: '{\n  "id": 2,\n  "region": "us",\n  "amount": 4\n}', warning: null });
    const broken = await getMessageDetail(jsm, STREAM, 31);
    expect(broken!.payload).toMatchObject({
      kind: "text",
      text: '{"id": 31, "amount": ',
      warning: expect.stringMatching(/malformed JSON/),
    });
    const blob = await getMessageDetail(jsm, STREAM, 32);
    expect(blob!.payload.kind).toBe("binary");
    expect(blob!.payload.text).toMatch(/^00000000 {2}de ad be ef 00 ff/);
    expect(Buffer.from((await readMessage(jsm, STREAM, 32))!.bytes)).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0xff]));
    expect(blob!.headers).toBeNull();
    expect(await getMessageDetail(jsm, STREAM, 3)).toBeNull();
    expect(await getMessageDetail(jsm, STREAM, 999)).toBeNull();
  });

  it("subjects - per-subject counts, largest first", async () => {
    const { subjects, total } = await subjectCounts(jsm, STREAM);
    expect(total).toBe(4);
    expect(subjects[0]).toEqual({ subject: "orders.us.created", messages: 15 });
    expect(subjects).toContainEqual({ subject: "orders.eu.created", messages: 14 });
  });

  it("search - a field predicate scans forward and counts scanned vs matched, then deletes its consumer", async () => {
    const q = SearchQuerySchema.parse({ q: 'region == "eu" && amount > 40', mode: "predicate" });
    const events = await collect(searchStream(js, jsm, STREAM, q, new AbortController().signal));
    const matched = events.filter((e) => e.type === "match").map((e) => (e.type === "match" ? e.message.seq : 0));
    expect(matched).toEqual([21, 23, 25, 27, 29]);
    expect(events.at(-1)).toMatchObject({ type: "done", scanned: 31, matched: 5, reason: "end_of_stream" });
    expect((await jsm.streams.info(STREAM)).state.consumer_count).toBe(0);
  });

  it("search - substring with a subject filter, a start sequence and a scan limit", async () => {
    const q = SearchQuerySchema.parse({ q: '"region":"us"', subject: "orders.us.>", from_seq: "10", scan_limit: "4" });
    const events = await collect(searchStream(js, jsm, STREAM, q, new AbortController().signal));
    expect(events.filter((e) => e.type === "match").map((e) => (e.type === "match" ? e.message.seq : 0))).toEqual([10, 12, 14, 16]);
    expect(events.at(-1)).toMatchObject({ type: "done", scanned: 4, reason: "scan_limit" });
  });

  it("search - cancelling stops the scan and removes the consumer", async () => {
    const abort = new AbortController();
    const q = SearchQuerySchema.parse({ q: "region" });
    const events = await collect(searchStream(js, jsm, STREAM, q, abort.signal), (e) => {
      if (e.type === "match") abort.abort();
    });
    expect(events.filter((e) => e.type === "match")).toHaveLength(1);
    expect(events.some((e) => e.type === "done")).toBe(false);
    expect((await jsm.streams.info(STREAM)).state.consumer_count).toBe(0);
  });

  it("tail - delivers new messages on the filter, resumes from a sequence, and removes its consumer on abort", async () => {
    const abort = new AbortController();
    const tail = tailStream(js, STREAM, { subject: "orders.tail.>" }, abort.signal);
    const first = tail.next(); // starts the consumer
    const deadline = Date.now() + 10_000;
    while ((await jsm.streams.info(STREAM)).state.consumer_count === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    await js.publish("orders.other", enc.encode("not for the tail"));
    const ack = await js.publish("orders.tail.a", enc.encode('{"n":1}'));
    const got = await first;
    expect(got.value).toMatchObject({ type: "message", message: { seq: ack.seq, subject: "orders.tail.a", payload: { kind: "json" } } });
    abort.abort();
    await tail.return(undefined);
    expect((await jsm.streams.info(STREAM)).state.consumer_count).toBe(0);

    const resumed = tailStream(js, STREAM, { from_seq: ack.seq - 1 }, new AbortController().signal);
    expect((await resumed.next()).value).toMatchObject({ message: { seq: ack.seq - 1, subject: "orders.other" } });
    await resumed.return(undefined);
    expect((await jsm.streams.info(STREAM)).state.consumer_count).toBe(0);
  });
});
