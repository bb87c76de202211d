/**
 * Message browser figures on a local nats-server: a stream of N small messages (default 1,000,000), then the
 * server-side time to open the message at a sequence, to page 100 messages (by sequence, by subject filter,
 * backward), to find a sequence by time, and to build the streams list rows for 1,000 streams.
 *
 *   npm run bench:messages -- [--messages 1000000] [--runs 20]
 * (node --conditions=react-server --import tsx: the server modules import `server-only`, a no-op under that condition.)
 */
import { performance } from "node:perf_hooks";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { BrowseQuerySchema, SearchQuerySchema } from "../lib/streams/queries";
import { selectStreams } from "../lib/streams/list";
import type { StreamSummary } from "../lib/streams/types";
import { startNatsServer } from "../server/nats-server-process";
import { browseMessages, getMessageDetail } from "../server/streams/messages";
import { searchStream } from "../server/streams/search";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg("messages", 1_000_000);
const RUNS = arg("runs", 20);
const STREAM = "BENCH";

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `median ${q(0.5).toFixed(1)} ms · p95 ${q(0.95).toFixed(1)} ms · max ${s.at(-1)!.toFixed(1)} ms (${s.length} runs)`;
}

async function time<T>(label: string, runs: number, fn: (i: number) => Promise<T>): Promise<void> {
  await fn(0); // warm up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
  }
  console.log(`${label.padEnd(52)} ${stats(samples)}`);
}

const server = await startNatsServer({});
const nc = await connect({ servers: server.url });
try {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: STREAM, subjects: ["bench.>"] });

  // Core publish is fire-and-forget; the stream captures every message. Flush in chunks to bound buffering.
  const t0 = performance.now();
  const enc = new TextEncoder();
  for (let i = 1; i <= N; i++) {
    nc.publish(
      `bench.${i % 10 === 0 ? "rare" : "common"}.${i % 4}`,
      enc.encode(`{"i":${i},"model":"m${i % 7}","cost":${(i % 100) / 1000}}`),
    );
    if (i % 20_000 === 0) await nc.flush();
  }
  await nc.flush();
  for (;;) {
    const si = await jsm.streams.info(STREAM);
    if (si.state.messages >= N) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const si = await jsm.streams.info(STREAM);
  console.log(
    `stream ${STREAM}: ${si.state.messages.toLocaleString("en-US")} messages, ${(si.state.bytes / 1024 / 1024).toFixed(1)} MiB, published in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  console.log(`nats-server ${nc.info?.version}, node ${process.version}\n`);

  const seqAt = (i: number) => 1 + ((i * 7_919_3) % N);
  await time("open message at a sequence (getMessageDetail)", RUNS, (i) => getMessageDetail(jsm, STREAM, seqAt(i)));
  const page = (q: Record<string, string>) => (i: number) =>
    browseMessages(jsm, STREAM, BrowseQuerySchema.parse({ seq: String(seqAt(i)), ...q }));
  await time("page 100 forward from a sequence", RUNS, page({ size: "100" }));
  await time("page 100 backward from a sequence", RUNS, page({ size: "100", dir: "backward" }));
  await time("page 100 forward, subject filter bench.rare.*", RUNS, page({ size: "100", subject: "bench.rare.*" }));
  await time("page 100 backward, subject filter bench.rare.*", RUNS, page({ size: "100", dir: "backward", subject: "bench.rare.*" }));
  await time("newest page of 100 (default)", RUNS, () => browseMessages(jsm, STREAM, BrowseQuerySchema.parse({ size: "100" })));
  const first = await getMessageDetail(jsm, STREAM, 1);
  const last = await getMessageDetail(jsm, STREAM, N);
  const span = Date.parse(last!.time) - Date.parse(first!.time);
  await time("page 100 from a start time (binary search)", RUNS, (i) =>
    browseMessages(
      jsm,
      STREAM,
      BrowseQuerySchema.parse({ start_time: new Date(Date.parse(first!.time) + ((i * 0.37) % 1) * span).toISOString(), size: "100" }),
    ),
  );

  // Payload search: scan 100,000 messages forward with a field predicate (ordered consumer, created and deleted).
  const scan = async (q: Record<string, string>) => {
    let done: unknown;
    for await (const e of searchStream(
      jetstream(nc),
      jsm,
      STREAM,
      SearchQuerySchema.parse({ scan_limit: "100000", max_matches: "1000", ...q }),
      new AbortController().signal,
    ))
      if (e.type === "done") done = e;
    return done;
  };
  await time("search 100,000 msgs: predicate (~140 matches)", 3, () => scan({ q: 'model == "m3" && cost > 0.098', mode: "predicate" }));
  await time("search 100,000 msgs: substring (no match)", 3, () => scan({ q: "no-such-text" }));

  // The list's per-render work for 1,000 streams (fill levels, warnings, sort); React renders only visible rows.
  const streams: StreamSummary[] = Array.from({ length: 1_000 }, (_, i) => ({
    name: `stream-${i}`,
    created: "2026-11-23T10:00:00Z",
    config: {
      subjects: [`s${i}.>`],
      retention: "limits",
      storage: "file",
      replicas: 3,
      max_age_ms: 86_400_000,
      max_bytes: 1 << 30,
      max_msgs: 1_000_000,
      max_msg_size: -1,
      discard: "old",
      description: null,
      mirror: null,
      sources: [],
    },
    state: {
      messages: i * 1000,
      bytes: i * 100_000,
      first_seq: 1,
      last_seq: i * 1000,
      first_ts: "2026-11-23T10:00:00Z",
      last_ts: "2026-11-23T12:00:00Z",
      num_subjects: 4,
      num_deleted: 0,
      consumer_count: 2,
    },
    cluster: { name: "c", leader: "n1", replicas: [{ name: "n2", current: true, offline: false, lag: 0, active_ms: 5 }] },
    rates: { msgs_per_s: i % 50, bytes_per_s: (i % 50) * 100 },
    sampled_at: "2026-11-23T12:00:00Z",
  }));
  const sync = async (fn: () => void) => fn();
  await time("streams list rows for 1,000 streams (select+sort)", RUNS, () =>
    sync(
      () => void selectStreams(streams, { q: "", sort: "fill", dir: "desc", show: "all", own: false }, Date.parse("2026-11-23T12:00:00Z")),
    ),
  );
} finally {
  await nc.close();
  await server.stop();
}
