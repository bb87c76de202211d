import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import { Kvm } from "@nats-io/kv";
import { buildAnnotation } from "../../lib/review/annotations";
import type { Annotation } from "../../lib/review/annotations";
import type { DashboardEvent } from "../../lib/wire/topics";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { createRuntime, type Runtime } from "../runtime";
import { createSseStream } from "../sse";
import { waitFor } from "../../testing/wait-for";

/** Reads a hub SSE stream as a browser would, until the latest `annotations` state satisfies `done`. */
async function awaitAnnotations(rt: Runtime, done: (notes: Annotation[]) => boolean, timeoutMs = 10_000): Promise<Annotation[]> {
  const reader = createSseStream(rt.hub, ["annotations"], undefined).getReader();
  const decoder = new TextDecoder();
  const deadline = Date.now() + timeoutMs;
  let buffer = "";
  let latest: Annotation[] = [];
  try {
    while (!done(latest)) {
      if (Date.now() > deadline) throw new Error(`annotations never matched; last: ${JSON.stringify(latest)}`);
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now()))]);
      if (chunk === null) continue;
      if (chunk.done) throw new Error("stream ended");
      buffer += decoder.decode(chunk.value, { stream: true });
      let idx;
      while ((idx = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, idx);
        buffer = buffer.slice(idx + 2);
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (!data || frame.startsWith("event: ping")) continue;
        const event = JSON.parse(data) as DashboardEvent;
        if (event.type === "state" && event.topic === "annotations") latest = event.data;
      }
    }
  } finally {
    await reader.cancel();
  }
  return latest;
}

describe("annotations across dashboard replicas", () => {
  let nats: NatsServerHandle;
  const runtimes: Runtime[] = [];
  const start = async () => {
    const rt = await createRuntime({ NATS_URL: nats.url, BUSDECK_DEMO: "0", BUSDECK_ANNOTATION_BUCKET: "busdeck_annotations_test" });
    runtimes.push(rt);
    // Started once connected; wait until the replica has loaded KV and listens for broadcasts.
    await waitFor("annotations ready", () => rt.hub.getState("annotations") !== undefined && rt.annotations.ready());
    return rt;
  };

  beforeAll(async () => {
    nats = await startNatsServer();
  });

  afterAll(async () => {
    for (const rt of runtimes) await rt.stop().catch(() => undefined);
    await nats?.stop();
  });

  it("annotations - a note made through one replica reaches an SSE client of the other; the origin skips its echo", async () => {
    const a = await start();
    const b = await start();
    const note = await a.annotations.add({ text: "rolled back deploy 1.4.2", at: "2026-11-23T14:00:00Z" }, "alice");

    const seenByB = await awaitAnnotations(b, (notes) => notes.some((n) => n.id === note.id));
    expect(seenByB).toEqual([note]);
    // The origin applied it once, locally, and skipped its own broadcast when it came back.
    await waitFor("the origin's echo", () => a.annotations.stats.echoes_skipped === 1);
    expect(a.annotations.stats.applied_remote).toBe(0);
    expect(b.annotations.stats).toMatchObject({ applied_remote: 1, echoes_skipped: 0 });
    expect(a.hub.getState("annotations")).toEqual([note]);

    // A delete through the other replica fans out the other way.
    expect(await b.annotations.remove(note.id)).toBe(true);
    expect(await awaitAnnotations(a, (notes) => notes.length === 0)).toEqual([]);
    await waitFor("the deleting replica's echo", () => b.annotations.stats.echoes_skipped === 1);
    expect(a.annotations.stats.applied_remote).toBe(1);
  });

  it("annotations - a replica started later loads the notes from KV", async () => {
    const a = await start();
    const kept = await a.annotations.add({ text: "failover drill" }, "bob");
    await a.stop();
    const late = await start();
    expect(late.hub.getState("annotations")).toContainEqual(kept);
  });

  it("annotations - a replica cut off from NATS catches up from KV after it reconnects", async () => {
    const b = await start();
    // A note stored without a broadcast is exactly what a replica sees when it was disconnected at the time.
    const missed = buildAnnotation({ text: "stored while b was away" }, { id: "missedwhileaway2", author: "carol", now: new Date() });
    const writer = await connect({ servers: nats.url });
    try {
      const kv = await new Kvm(writer).open("busdeck_annotations_test");
      await kv.put(missed.id, JSON.stringify(missed));
    } finally {
      await writer.close();
    }
    expect(b.annotations.list()).not.toContainEqual(missed);

    await nats.crash();
    await nats.restart();
    expect(await awaitAnnotations(b, (notes) => notes.some((n) => n.id === missed.id), 20_000)).toContainEqual(missed);
  });
});
