/**
 * Tail and search streams are bounded like /api/events: they take slots from the same SseAdmission, and a
 * client that stops reading stops the walk and is dropped, its NATS consumer deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { IDENTITY_SIGNATURE_HEADER, ROLE_HEADER, USER_HEADER } from "../../lib/security/auth";
import { signIdentity } from "../auth/gate-signature";
import { GET as searchGet } from "../../app/api/streams/[name]/search/route";
import { GET as tailGet } from "../../app/api/streams/[name]/tail/route";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { createRuntime, installRuntime, type Runtime } from "../runtime";
import { waitFor } from "../../testing/wait-for";
import { eventStream } from "./event-stream";
import { tailStream } from "./tail";

const STREAM = "TAILED";
/** ~1 KiB payloads: a few hundred of them are far more than a client's 64 KiB queue. */
const payload = JSON.stringify({ filler: "x".repeat(1_000) });

function open(route: typeof tailGet, path: string, signal: AbortSignal, headers: Record<string, string> = {}): Promise<Response> {
  const request = new Request(`http://busdeck.test/api/streams/${STREAM}/${path}`, { signal, headers });
  return route(request, { params: Promise.resolve({ name: STREAM }) });
}

describe("live tail and search streams", () => {
  let server: NatsServerHandle;
  let rt: Runtime;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let js: JetStreamClient;
  const consumers = async () => (await jsm.streams.info(STREAM)).state.consumer_count;
  const publish = async (n: number) => {
    for (let i = 0; i < n; i++) nc.publish(`tailed.${i % 3}`, payload);
    await nc.flush();
  };

  beforeAll(async () => {
    server = await startNatsServer({});
    rt = await createRuntime({ NATS_URL: server.url, BUSDECK_SSE_MAX_PER_ADDRESS: "2" });
    installRuntime(rt);
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
    js = jetstream(nc);
    await jsm.streams.add({ name: STREAM, subjects: ["tailed.>"] });
  });
  afterAll(async () => {
    installRuntime(null);
    await nc?.close();
    await rt?.stop();
    await server?.stop();
  });

  it("a tail whose client never reads stops pulling at the high-water mark, is dropped, and its consumer deleted", async () => {
    let pulled = 0;
    const body = eventStream(
      new AbortController().signal,
      async function* (signal) {
        for await (const item of tailStream(js, STREAM, {}, signal)) {
          pulled++;
          yield item;
        }
      },
      { stallMs: 300, stallCheckMs: 50 },
    );
    await waitFor("the tail's consumer", async () => (await consumers()) === 1);
    await publish(500);
    await waitFor("the stalled tail's consumer to be deleted", async () => (await consumers()) === 0);
    expect(pulled).toBeLessThan(200); // ~1.3 KiB frames into a 64 KiB queue, not all 500
    await expect(body.getReader().read()).rejects.toMatchObject({ name: "AbortError" });
  });

  it("tails beyond the per-address cap get 429, search shares the cap, and tails that are never read are dropped", async () => {
    const clients = [new AbortController(), new AbortController()];
    const opened = await Promise.all(clients.map((c) => open(tailGet, "tail", c.signal)));
    expect(opened.map((r) => r.status)).toEqual([200, 200]);
    const refused = await open(tailGet, "tail", new AbortController().signal);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: "too_many_connections" });
    expect((await open(searchGet, "search?q=filler", new AbortController().signal)).status).toBe(429);

    // Neither client reads: once their queues fill and stay full, both are dropped and their consumers deleted.
    await waitFor("both tails' consumers", async () => (await consumers()) === 2);
    await publish(500);
    await waitFor("the stalled tails' consumers to be deleted", async () => (await consumers()) === 0, 30_000); // the 15 s stall timeout

    // A dropped client keeps its slot until it goes, as on /api/events; then the slot is free again.
    clients.forEach((c) => c.abort());
    const again = new AbortController();
    expect((await open(tailGet, "tail", again.signal)).status).toBe(200);
    again.abort();
  });

  /** Identity headers as the gate sets them: signed, or requestIdentity ignores them. */
  const signedIn = (user: string) => ({
    [ROLE_HEADER]: "viewer",
    [USER_HEADER]: user,
    [IDENTITY_SIGNATURE_HEADER]: signIdentity("viewer", user),
  });

  it("forged X-Forwarded-For addresses share one allowance (no trusted proxy); named users get their own", async () => {
    const clients: AbortController[] = [];
    const tail = (headers: Record<string, string>) => {
      const c = new AbortController();
      clients.push(c);
      return open(tailGet, "tail", c.signal, headers).then((r) => r.status);
    };
    const forged = ["198.51.100.1", "198.51.100.2", "198.51.100.3"].map((xff) => ({ "x-forwarded-for": xff }));
    expect([await tail(forged[0]!), await tail(forged[1]!), await tail(forged[2]!)]).toEqual([200, 200, 429]);
    const alice = { ...signedIn("alice"), "x-forwarded-for": "198.51.100.1" };
    expect([await tail(alice), await tail(alice), await tail(alice)]).toEqual([200, 200, 429]);
    expect(await tail(signedIn("bob"))).toBe(200);
    clients.forEach((c) => c.abort());
    await waitFor("the tails' consumers to be deleted", async () => (await consumers()) === 0);
  });
});
