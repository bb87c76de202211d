import { describe, expect, it } from "vitest";
import { rawOutcome } from "../testing/fixtures/outcome";
import { Hub } from "./hub/hub";
import v8 from "node:v8";
import vm from "node:vm";
import { TrustedProxies } from "./client-key";
import { installRuntime, type Runtime } from "./runtime";
import { admitLiveStream } from "./scan-admission";
import { SseAdmission } from "./sse-admission";
import { CLIENT_HIGH_WATER_BYTES, createSseStream, liveEventsResponse } from "./sse";
import { eventStreamResponse } from "./streams/event-stream";

v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

const outcome = (i: number) => rawOutcome(i, "x".repeat(1_000));

describe("sse stream", () => {
  it("sse - a client going away frees its slot even after the route's Request object is garbage", async () => {
    const hub = new Hub({ stallTimeoutMs: 1_000 });
    const sseAdmission = new SseAdmission({ maxClients: 10, maxPerAddress: 10 });
    installRuntime({ hub, sseAdmission, trustedProxies: new TrustedProxies([]) } as unknown as Runtime);
    const client = new AbortController();
    // Built in their own scope, as a route does: nothing but the streams can keep the Requests alive.
    // A walk that never ends: only the client going away can free its slot.
    const neverYields = async function* () {
      await new Promise(() => undefined);
      yield undefined;
    };
    const streams = await (async () => {
      const events = new Request("http://busdeck.test/api/events", { signal: client.signal });
      const tail = new Request("http://busdeck.test/api/streams/S/tail", { signal: client.signal });
      return [
        (await liveEventsResponse(events, ["outcomes"], undefined)).body,
        eventStreamResponse(tail, neverYields, { onGone: await admitLiveStream(tail) }).body,
      ];
    })();
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      collectGarbage();
    }
    expect(sseAdmission.connections).toBe(2);
    client.abort();
    expect(sseAdmission.connections).toBe(0);
    expect(streams).toHaveLength(2);
    installRuntime(null);
  });

  it("sse - a client that stops reading is skipped past the high-water mark, then its stream is errored, not left open", async () => {
    let now = 0;
    const hub = new Hub({ stallTimeoutMs: 1_000, now: () => now });
    let closed = 0;
    const stream = createSseStream(hub, ["outcomes"], undefined, undefined, () => closed++);
    const reader = stream.getReader(); // never reads until the end: a stalled browser tab
    let seq = 0;
    for (let i = 0; i < 200; i++) {
      hub.appendFeed("outcomes", [outcome(seq++), outcome(seq++)]);
      now += 50;
      hub.flush();
      if (hub.stats.clients === 0) break;
    }
    expect(hub.stats.flushes_skipped_backpressure).toBeGreaterThan(0);
    expect(hub.stats.clients_dropped).toBe(1);
    expect(hub.stats.clients).toBe(0);
    expect(closed).toBe(1);
    // Errored, so the queue is discarded and the response pipe destroys the socket; the name keeps Next quiet.
    const err = await reader.read().then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.name).toBe("AbortError");
    expect(err?.message).toMatch(/stalled/);
  });

  it("sse - a dropped client keeps its admission slot until its request aborts (its socket lingers until then)", () => {
    let now = 0;
    const hub = new Hub({ stallTimeoutMs: 1_000, now: () => now });
    const ac = new AbortController();
    let released = 0;
    createSseStream(hub, ["outcomes"], undefined, ac.signal, () => released++);
    let seq = 0;
    while (hub.stats.clients > 0 && seq < 2_000) {
      hub.appendFeed("outcomes", [outcome(seq++), outcome(seq++)]);
      now += 50;
      hub.flush();
    }
    expect(hub.stats.clients_dropped).toBe(1);
    expect(released).toBe(0);
    ac.abort();
    ac.abort();
    expect(released).toBe(1);
  });

  it("sse - the queue a stalled client holds is bounded by the high-water mark plus one flush", () => {
    let now = 0;
    const hub = new Hub({ stallTimeoutMs: 60_000, now: () => now });
    const stream = createSseStream(hub, ["outcomes"], undefined);
    const before = hub.stats.bytes_sent;
    let seq = 0;
    let largestFlush = 0;
    for (let i = 0; i < 400; i++) {
      hub.appendFeed("outcomes", [outcome(seq++), outcome(seq++)]);
      now += 50;
      const sentBefore = hub.stats.bytes_sent;
      hub.flush();
      largestFlush = Math.max(largestFlush, hub.stats.bytes_sent - sentBefore);
    }
    const queued = hub.stats.bytes_sent - before; // nothing was read: every byte written is still queued
    expect(hub.stats.flushes_skipped_backpressure).toBeGreaterThan(300);
    expect(queued).toBeGreaterThanOrEqual(CLIENT_HIGH_WATER_BYTES);
    expect(queued).toBeLessThanOrEqual(CLIENT_HIGH_WATER_BYTES + largestFlush);
    void stream.cancel();
  });
});
