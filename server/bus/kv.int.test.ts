/**
 * The KV routes against a real nats-server: a bucket with keys and history is listed with its limits, its keys
 * filtered by prefix, a key's revisions with their operations, values masked on the server, and a bad bucket
 * name refused naming the parameter.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import { Objm } from "@nats-io/obj";
import type { KvKeyHistory, KvKeyPage, KvOverview, KvWatchEvent, ObjectList } from "../../lib/bus/kv";
import { GET as overviewGet } from "../../app/api/bus/kv/route";
import { GET as keysGet } from "../../app/api/bus/kv/[bucket]/keys/route";
import { GET as keyGet } from "../../app/api/bus/kv/[bucket]/keys/[key]/route";
import { GET as objectsGet } from "../../app/api/bus/objects/[bucket]/route";
import { GET as watchGet } from "../../app/api/bus/kv/[bucket]/watch/route";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { createRuntime, installRuntime, type Runtime } from "../runtime";
import { waitFor } from "../../testing/wait-for";

const BUCKET = "orders";
const get = (handler: typeof keysGet, path: string, params: Record<string, string>, signal?: AbortSignal) =>
  handler(new Request(`http://busdeck.test${path}`, { signal }), { params: Promise.resolve(params) });

/** The next `data:` frame of a server-sent event stream, parsed (ping comments skipped). */
async function nextEvent(reader: ReadableStreamDefaultReader<Uint8Array>, buffered: { text: string }): Promise<KvWatchEvent> {
  for (;;) {
    const frame = /^data: (.*)$/m.exec(buffered.text);
    if (frame) {
      buffered.text = buffered.text.slice(frame.index + frame[0].length);
      return JSON.parse(frame[1]!) as KvWatchEvent;
    }
    const { value, done } = await reader.read();
    if (done) throw new Error("the watch ended");
    buffered.text += new TextDecoder().decode(value);
  }
}

describe("KV buckets and object stores against nats-server", () => {
  let server: NatsServerHandle;
  let rt: Runtime;
  let nc: NatsConnection;
  let kv: KV;
  const revisions: number[] = [];

  beforeAll(async () => {
    server = await startNatsServer({});
    rt = await createRuntime({ NATS_URL: server.url });
    installRuntime(rt);
    nc = await connect({ servers: server.url });
    kv = await new Kvm(nc).create(BUCKET, { history: 5, ttl: 3_600_000 });
    revisions.push(await kv.put("eu.1", JSON.stringify({ id: 1, state: "new" })));
    revisions.push(await kv.put("eu.1", JSON.stringify({ id: 1, state: "paid", password: "hunter2" })));
    await kv.put("eu.2", "plain text");
    await kv.put("us.1", new Uint8Array([0xde, 0xad, 0x00, 0xff]));
    await kv.put("gone", "x");
    await kv.delete("gone");
    await kv.delete("eu.2");
    await kv.put("eu.2", "back again");
    const os = await new Objm(nc).create("files");
    await os.putBlob({ name: "report.csv" }, new TextEncoder().encode("a,b\n1,2\n"));
  });
  afterAll(async () => {
    installRuntime(null);
    await nc?.close();
    await rt?.stop();
    await server?.stop();
  });

  it("kv - the overview lists the bucket with its history, TTL and size, and busdeck's own buckets as internal", async () => {
    const overview = await waitFor("busdeck's sampler lock bucket", async () => {
      const body = (await (await get(overviewGet, "/api/bus/kv", {})).json()) as KvOverview;
      return body.kv.some((b) => b.bucket === rt.config.fleet.bucket) && body;
    });
    const orders = overview.kv.find((b) => b.bucket === BUCKET);
    expect(orders).toMatchObject({ history: 5, ttl_ms: 3_600_000, values: 8, replicas: 1, internal: false, locks: false });
    expect(orders!.bytes).toBeGreaterThan(0);
    expect(overview.kv.find((b) => b.bucket === rt.config.fleet.bucket)).toMatchObject({ internal: true, locks: true });
    expect(overview.objects.map((o) => o.bucket)).toContain("files");
  });

  it("kv - keys are listed sorted without deleted ones, and filtered by prefix", async () => {
    const all = (await (await get(keysGet, `/api/bus/kv/${BUCKET}/keys`, { bucket: BUCKET })).json()) as KvKeyPage;
    expect(all.keys.map((k) => k.key)).toEqual(["eu.1", "eu.2", "us.1"]);
    expect(all.capped).toBe(false);
    expect(all.keys[0]).toMatchObject({ revision: revisions[1] });
    const eu = (await (await get(keysGet, `/api/bus/kv/${BUCKET}/keys?prefix=eu.`, { bucket: BUCKET })).json()) as KvKeyPage;
    expect(eu.keys.map((k) => k.key)).toEqual(["eu.1", "eu.2"]);
  });

  it("kv - a key's revisions come newest first with their operations, and a masked field is masked", async () => {
    const res = await get(keyGet, `/api/bus/kv/${BUCKET}/keys/eu.1`, { bucket: BUCKET, key: "eu.1" });
    const history = (await res.json()) as KvKeyHistory;
    expect(history.revisions.map((r) => r.revision)).toEqual([revisions[1], revisions[0]]);
    expect(history.selected).toMatchObject({ revision: revisions[1], operation: "PUT", redacted: 1 });
    expect(history.selected!.value!.kind).toBe("json");
    expect(history.selected!.value!.text).toContain('"state": "paid"');
    expect(JSON.stringify(history)).not.toContain("hunter2");
    const raw = await get(keyGet, `/api/bus/kv/${BUCKET}/keys/eu.1?download=1`, { bucket: BUCKET, key: "eu.1" });
    expect(await raw.text()).not.toContain("hunter2");

    const eu2 = (await (await get(keyGet, `/api/bus/kv/${BUCKET}/keys/eu.2`, { bucket: BUCKET, key: "eu.2" })).json()) as KvKeyHistory;
    expect(eu2.revisions.map((r) => r.operation)).toEqual(["PUT", "DEL", "PUT"]);
    expect(eu2.revisions[1]!.value).toBeNull();
    const bin = (await (await get(keyGet, `/api/bus/kv/${BUCKET}/keys/us.1`, { bucket: BUCKET, key: "us.1" })).json()) as KvKeyHistory;
    expect(bin.selected!.value!.kind).toBe("binary");
  });

  it("kv - a bad bucket name is a 400 naming it; a missing bucket or key is a 404", async () => {
    const bad = await get(keysGet, "/api/bus/kv/bad.name/keys", { bucket: "bad.name" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { reason: string }).reason).toMatch(/^bucket: /);
    const badKey = await get(keyGet, `/api/bus/kv/${BUCKET}/keys/a..b`, { bucket: BUCKET, key: "a..b" });
    expect(((await badKey.json()) as { reason: string }).reason).toMatch(/^key: /);
    expect((await get(keysGet, "/api/bus/kv/nope/keys", { bucket: "nope" })).status).toBe(404);
    expect((await get(keyGet, `/api/bus/kv/${BUCKET}/keys/none`, { bucket: BUCKET, key: "none" })).status).toBe(404);
  });

  it("kv - a live watch of a prefix sends new revisions of matching keys only, values masked", async () => {
    const client = new AbortController();
    const res = await get(watchGet, `/api/bus/kv/${BUCKET}/watch?prefix=eu.`, { bucket: BUCKET }, client.signal);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const buffered = { text: "" };
    try {
      const jsm = await jetstreamManager(nc);
      const consumers = async () => (await jsm.streams.info("KV_orders")).state.consumer_count;
      await waitFor("the watch's consumer", async () => (await consumers()) > 0);
      await kv.put("us.2", "not watched");
      await kv.put("eu.3", JSON.stringify({ token: "s3cr3t", n: 3 }));
      await kv.delete("eu.1");
      const put = await nextEvent(reader, buffered);
      expect(put).toMatchObject({ type: "change", change: { key: "eu.3", operation: "PUT", redacted: 1 } });
      expect(JSON.stringify(put)).not.toContain("s3cr3t");
      expect(await nextEvent(reader, buffered)).toMatchObject({ type: "change", change: { key: "eu.1", operation: "DEL", value: null } });
    } finally {
      client.abort();
      await reader.cancel().catch(() => undefined);
    }
  });

  it("objects - a store's objects with their size and chunks", async () => {
    const list = (await (await get(objectsGet, "/api/bus/objects/files", { bucket: "files" })).json()) as ObjectList;
    expect(list.objects).toEqual([expect.objectContaining({ name: "report.csv", size: 8, chunks: 1 })]);
  });
});
