/**
 * A filtered backward page is bounded: it stops at the page size, at a get budget, and when the request goes
 * away. The stream: 1,500 matches of a subject, then 1,000 other messages, then one more match at the top.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { BrowseQuerySchema } from "../../lib/streams/queries";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { waitFor } from "../../testing/wait-for";
import { browseMessages, type ScanLimit } from "./messages";

const STREAM = "SPARSE";
const DENSE = 1_500;
const NOISE = 1_000;
const TOTAL = DENSE + NOISE + 1;
/** The newest ten matches: the top of the dense stretch and the lone one above the noise. */
const NEWEST_TEN = [1492, 1493, 1494, 1495, 1496, 1497, 1498, 1499, 1500, TOTAL];

/** The manager with every getMessage counted (and an optional hook run before each). */
function countingJsm(
  jsm: JetStreamManager,
  beforeGet?: (n: number) => void,
): { jsm: Pick<JetStreamManager, "streams">; gets: () => number } {
  let gets = 0;
  const streams = Object.create(jsm.streams, {
    getMessage: {
      value: (...args: Parameters<JetStreamManager["streams"]["getMessage"]>) => {
        gets++;
        beforeGet?.(gets);
        return jsm.streams.getMessage(...args);
      },
    },
  }) as JetStreamManager["streams"];
  return { jsm: { streams }, gets: () => gets };
}

describe("backward browse with a subject filter is bounded", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const backward = (j: Pick<JetStreamManager, "streams">, limit?: ScanLimit, size = "10") =>
    browseMessages(j, STREAM, BrowseQuerySchema.parse({ subject: "rare.>", dir: "backward", size }), limit);

  beforeAll(async () => {
    server = await startNatsServer({});
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: STREAM, subjects: ["rare.>", "noise.>"] });
    for (let i = 0; i < DENSE; i++) nc.publish("rare.a", String(i));
    for (let i = 0; i < NOISE; i++) nc.publish("noise.a", String(i));
    nc.publish("rare.b", "top");
    await nc.flush();
    await waitFor("the stream to hold every message", async () => (await jsm.streams.info(STREAM)).state.messages === TOTAL);
  }, 30_000);
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it("stops at the page size: a dense stretch costs about a page per halving, not one get per match", async () => {
    const counted = countingJsm(jsm);
    const page = await backward(counted.jsm);
    expect(page.messages.map((m) => m.seq)).toEqual(NEWEST_TEN);
    expect(page.scan_capped).toBe(false);
    expect(page.older_seq).toBe(1491);
    expect(counted.gets()).toBeLessThan(150); // reading every match of the window that reached the dense stretch was ~300
  });

  it("spends at most its get budget, then says where it stopped so paging older continues", async () => {
    const counted = countingJsm(jsm);
    const page = await backward(counted.jsm, { maxGets: 12 });
    expect(counted.gets()).toBeLessThanOrEqual(12);
    expect(page.scan_capped).toBe(true);
    expect(page.older_seq).not.toBeNull();
    // Nothing is skipped: this page and the next older one together hold the newest ten matches.
    const continued = await browseMessages(
      jsm,
      STREAM,
      BrowseQuerySchema.parse({ subject: "rare.>", dir: "backward", size: "10", seq: String(page.older_seq) }),
    );
    const seen = new Set([...page.messages, ...continued.messages].map((m) => m.seq));
    for (const seq of NEWEST_TEN) expect(seen).toContain(seq);
  });

  it("stops when the request is aborted", async () => {
    const abort = new AbortController();
    const counted = countingJsm(jsm, (n) => n >= 3 && abort.abort());
    const page = await backward(counted.jsm, { signal: abort.signal });
    expect(counted.gets()).toBeLessThanOrEqual(3);
    expect(page.scan_capped).toBe(true);
  });
});
