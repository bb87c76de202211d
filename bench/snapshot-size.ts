/**
 * Frozen snapshot sizes and times: a consumers-view freeze of N consumers (the consumer_rows the page streams,
 * with sparklines and varied figures), its JSON and gzip sizes, and create / read through the object store on a
 * local nats-server. Answers "does gzip help" and "why not KV" (a KV value is capped at 1 MB by default).
 *
 *   npm run bench:snapshots -- [--consumers 10000]
 */
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import { connect } from "@nats-io/transport-node";
import type { ConsumerRow, ConsumersMeta } from "../lib/consumers/types";
import type { KeyedState } from "../lib/wire/topics";
import type { FreezeRequest } from "../lib/review/snapshots";
import { startNatsServer } from "../server/nats-server-process";
import { createSnapshotStore } from "../server/snapshots/store";

const i = process.argv.indexOf("--consumers");
const N = i > 0 ? Number(process.argv[i + 1]) : 10_000;

/** Deterministic figures that vary like real ones (a fixed-seed LCG), so gzip is not flattered by repetition. */
let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const int = (max: number) => Math.floor(rand() * max);
const STATUSES = ["OK", "WARN", "STALL", "STOP", "REWIND", "ERR"] as const;

function row(k: number): ConsumerRow {
  const pending = int(200_000);
  return {
    stream: `stream-${k % 200}`,
    name: `svc-${int(1e6).toString(36)}-consumer-${k}`,
    num_pending: pending,
    num_ack_pending: int(1000),
    num_redelivered: int(20),
    config: { max_ack_pending: 1000, filter_subjects: [`events.${k % 200}.>`], durable: true },
    ack_floor: { stream_seq: 1_000_000 + int(9_000_000) },
    cluster: { leader: `nats-${int(3)}` },
    insight: {
      lag_seconds: rand() * 600,
      lag_seconds_source: rand() < 0.5 ? "interpolated" : "exact",
      consume_per_s: rand() * 500,
      ingest_per_s: rand() * 500,
      drain: { state: "draining", seconds: rand() * 3600 },
      health: { status: STATUSES[int(STATUSES.length)], rule: "lag_growing", evidence: `lag ${pending} grew over ${int(10)} samples` },
      spark: Array.from({ length: 30 }, () => int(pending + 1)),
    } as ConsumerRow["insight"],
  };
}

const meta: ConsumersMeta = { status: "ok", sampled_at: new Date().toISOString(), duration_ms: 180, errors: [] };
const data: KeyedState<ConsumersMeta, ConsumerRow> = { meta, items: Array.from({ length: N }, (_, k) => row(k)) };
const request: FreezeRequest = {
  url: "/consumers?sort=lag_msgs&dir=desc",
  view_now: Date.now(),
  queries: [{ key: ["live", "consumer_rows"], data }],
};

const json = JSON.stringify(request);
let t = performance.now();
const gz = gzipSync(json);
const gzipMs = performance.now() - t;
const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
console.log(`consumers view, ${N.toLocaleString("en-US")} consumers`);
console.log(`  JSON  ${kib(json.length)} (${(json.length / N).toFixed(0)} B per consumer)`);
console.log(`  gzip  ${kib(gz.length)} (${(json.length / gz.length).toFixed(1)}× smaller, ${gzipMs.toFixed(0)} ms to compress)`);
console.log(`  a KV value may hold 1,024 KiB by default: the JSON ${json.length > 1024 * 1024 ? "does not fit" : "fits"}`);

const server = await startNatsServer({});
const store = createSnapshotStore({ nc: connect({ servers: server.url }), bucket: "bench_snapshots" });
try {
  t = performance.now();
  const summary = await store.create(request, "bench");
  const createMs = performance.now() - t;
  t = performance.now();
  const doc = await store.read(summary.id);
  const readMs = performance.now() - t;
  if (JSON.stringify(doc?.queries) !== JSON.stringify(request.queries)) throw new Error("read back differs");
  console.log(
    `  object store: create ${createMs.toFixed(0)} ms (build + gzip + put ${kib(summary.stored_bytes)}), read ${readMs.toFixed(0)} ms (get + gunzip + parse + validate)`,
  );
} finally {
  await server.stop();
  process.exit(0);
}
