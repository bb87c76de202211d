import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConsumerSummary, ConsumersSnapshot } from "../../lib/consumers/types";
import type { FreezeRequest } from "../../lib/review/snapshots";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { createRuntime, type Runtime } from "../runtime";

/** A consumers-view freeze of `count` consumers, shaped like what the sampler publishes. */
function consumersFreeze(count: number): FreezeRequest {
  const consumers: ConsumerSummary[] = Array.from({ length: count }, (_, i) => ({
    stream: `stream-${i % 50}`,
    name: `consumer-${String(i).padStart(5, "0")}`,
    created: "2026-11-23T10:00:00.000Z",
    config: {
      durable: true,
      filter_subjects: [`events.${i % 50}.>`],
      ack_policy: "explicit",
      ack_wait_ms: 30_000,
      max_deliver: 5,
      max_ack_pending: 1000,
      deliver_policy: "all",
      push: false,
      paused: false,
      description: null,
    },
    num_pending: (i * 7919) % 100_000,
    num_ack_pending: i % 13,
    num_redelivered: i % 3,
    num_waiting: 1,
    delivered: { consumer_seq: 1_000_000 + i, stream_seq: 2_000_000 + i, last_active: "2026-11-23T15:00:00.000Z" },
    ack_floor: { consumer_seq: 999_990 + i, stream_seq: 1_999_990 + i, last_active: "2026-11-23T15:00:00.000Z" },
    cluster: null,
    sampled_at: "2026-11-23T15:00:01.000Z",
    insight: null,
  }));
  const snapshot: ConsumersSnapshot = { status: "ok", sampled_at: "2026-11-23T15:00:01.000Z", duration_ms: 180, consumers, errors: [] };
  return {
    url: "/consumers?sort=lag&dir=desc",
    view_now: Date.UTC(2026, 10, 23, 15, 0, 2),
    queries: [{ key: ["live", "consumers"], data: snapshot }],
  };
}

describe("snapshots", () => {
  let nats: NatsServerHandle;
  const runtimes: Runtime[] = [];
  const env = () => ({ NATS_URL: nats.url, BUSDECK_DEMO: "0", BUSDECK_SNAPSHOT_BUCKET: "busdeck_snapshots_test" });

  beforeAll(async () => {
    nats = await startNatsServer();
  });

  afterAll(async () => {
    for (const rt of runtimes) await rt.stop().catch(() => undefined);
    await nats?.stop();
  });

  it("snapshots - a 10,000-consumer snapshot survives a dashboard restart and reads back identical", async () => {
    const first = await createRuntime(env());
    runtimes.push(first);
    const request = consumersFreeze(10_000);
    const summary = await first.snapshots.create(request, "alice");
    const written = await first.snapshots.read(summary.id);
    // Bigger than a KV value may be (1 MB): this is why snapshots live in an object store.
    expect(summary.json_bytes).toBeGreaterThan(1024 * 1024);
    expect(summary.stored_bytes).toBeLessThan(summary.json_bytes / 4);
    console.log(
      `10,000-consumer snapshot: ${summary.json_bytes} B JSON, ${summary.stored_bytes} B stored gzipped (${(summary.json_bytes / summary.stored_bytes).toFixed(1)}x)`,
    );
    await first.stop();

    const second = await createRuntime(env());
    runtimes.push(second);
    const read = await second.snapshots.read(summary.id);
    expect(read).toEqual(written);
    expect(read).toMatchObject({ format: 1, view: "consumers", url: request.url, created_by: "alice", server_version: expect.any(String) });
    expect(read!.queries).toEqual(request.queries);
    expect(read!.nats.server_name).toBeTruthy();
    expect((await second.snapshots.list()).map((s) => s.id)).toContain(summary.id);
  });

  it("snapshots - list is newest first; delete removes it; unknown ids are null", async () => {
    const rt = await createRuntime(env());
    runtimes.push(rt);
    const a = await rt.snapshots.create({ url: "/streams", view_now: 1, queries: [{ key: ["live", "streams"], data: { n: 1 } }] }, "bob");
    await new Promise((r) => setTimeout(r, 5)); // created_at has millisecond resolution
    const b = await rt.snapshots.create(
      { url: "/failover?range=1h", view_now: 2, queries: [{ key: ["live", "locks"], data: { n: 2 } }] },
      "carol",
    );
    const ids = (await rt.snapshots.list()).map((s) => s.id);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    expect(await rt.snapshots.delete(a.id)).toBe(true);
    expect(await rt.snapshots.read(a.id)).toBeNull();
    expect(await rt.snapshots.delete(a.id)).toBe(false);
    expect((await rt.snapshots.list()).map((s) => s.id)).not.toContain(a.id);
    expect(await rt.snapshots.summary("aaaaaaaaaaaaaaaa")).toBeNull();
  });
});
