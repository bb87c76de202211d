import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DashboardEvent } from "../lib/wire/topics";
import { startNatsServer, type NatsServerHandle } from "./nats-server-process";
import { createRuntime, type Runtime } from "./runtime";
import { createSseStream } from "./sse";

/** Reads SSE frames from a hub stream until `done` says so, as a browser would. */
async function readEvents(stream: ReadableStream<Uint8Array>, done: (events: DashboardEvent[]) => boolean, timeoutMs = 30_000) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const events: DashboardEvent[] = [];
  const ids: number[] = [];
  let buffer = "";
  const deadline = Date.now() + timeoutMs;
  try {
    while (!done(events)) {
      if (Date.now() > deadline) throw new Error(`condition not met; saw ${events.length} events`);
      const { value, done: ended } = await reader.read();
      if (ended) throw new Error("stream ended");
      buffer += decoder.decode(value, { stream: true });
      let idx;
      while ((idx = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, idx);
        buffer = buffer.slice(idx + 2);
        const id = /^id: (\d+)$/m.exec(frame);
        if (id) ids.push(Number(id[1]));
        const data = /^data: (.*)$/m.exec(frame);
        if (data && !frame.startsWith("event: ping")) events.push(JSON.parse(data[1]!));
      }
    }
  } finally {
    await reader.cancel();
  }
  return { events, ids };
}

describe("runtime", () => {
  let nats: NatsServerHandle;
  let rt: Runtime;

  beforeAll(async () => {
    nats = await startNatsServer();
    rt = await createRuntime({
      NATS_URL: nats.url,
      BUSDECK_DEMO: "1",
      BUSDECK_DEMO_SEED: "3",
      BUSDECK_DEMO_RATE: "4",
      BUSDECK_SAMPLE_INTERVAL_MS: "250",
    });
  });

  afterAll(async () => {
    await rt?.stop();
    await nats?.stop();
  });

  it("runtime - the demo's streams, consumers, outcomes and locks reach an SSE client", async () => {
    const { events } = await readEvents(
      createSseStream(rt.hub, ["connection", "streams", "consumers", "outcomes", "locks"], undefined),
      (evs) => {
        const latest = <T extends DashboardEvent["type"]>(type: T, topic: string) =>
          evs.filter((e) => e.type === type && "topic" in e && e.topic === topic).at(-1);
        const streams = latest("state", "streams") as Extract<DashboardEvent, { topic: "streams"; type: "state" }> | undefined;
        const consumers = latest("state", "consumers") as Extract<DashboardEvent, { topic: "consumers"; type: "state" }> | undefined;
        const locks = latest("state", "locks") as Extract<DashboardEvent, { topic: "locks"; type: "state" }> | undefined;
        const outcomes = evs.filter((e) => (e.type === "feed_append" || e.type === "feed_reset") && e.topic === "outcomes");
        return (
          (streams?.data.streams.filter((s) => ["routing-decisions", "memory-events", "llm-requests"].includes(s.name)).length ?? 0) ===
            3 &&
          (consumers?.data.consumers.length ?? 0) >= 4 &&
          (locks?.data.locks.filter((l) => l.holder).length ?? 0) >= 2 &&
          outcomes.some((e) => "items" in e && e.items.length > 0)
        );
      },
    );
    expect(events[0]).toMatchObject({ type: "hello" });
    const conn = events.filter((e) => e.type === "state" && e.topic === "connection").at(-1);
    expect(conn).toMatchObject({ data: { status: "connected", mode: "external", demo: true } });
  });

  it("runtime - a client resuming with its Last-Event-ID gets only what it missed", async () => {
    const first = await readEvents(createSseStream(rt.hub, ["outcomes"], undefined), (evs) => evs.some((e) => e.type === "feed_reset"));
    const lastId = first.ids.at(-1)!;
    // Wait until the hub has moved on, then resume.
    const deadline = Date.now() + 10_000;
    while (rt.hub.currentSeq <= lastId && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const resumed = await readEvents(createSseStream(rt.hub, ["outcomes"], lastId), (evs) => evs.length >= 2);
    expect(resumed.events[0]).toMatchObject({ type: "hello", resumed: true });
    expect(resumed.events[1]).toMatchObject({ type: "feed_append", topic: "outcomes" });
  });

  it("runtime - an aborted request releases its hub client", async () => {
    const before = rt.hub.stats.clients;
    const ac = new AbortController();
    const stream = createSseStream(rt.hub, ["connection"], undefined, ac.signal);
    expect(rt.hub.stats.clients).toBe(before + 1);
    ac.abort();
    expect(rt.hub.stats.clients).toBe(before);
    await stream.cancel(); // a second release path must be harmless
    expect(rt.hub.stats.clients).toBe(before);
  });
});
