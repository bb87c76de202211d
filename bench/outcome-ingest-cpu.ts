/**
 * Outcome ingest CPU per message without a network or a publisher: the client's own protocol parser is fed
 * the bytes a nats-server sends (HMSG frames with the reflex runner's headers, in fresh 64 KiB chunks as a
 * socket delivers them, unique Nats-Msg-Ids), and its messages go to (a) a callback that only counts them and
 * (b) busdeck's live ingest (createOutcomeIngest, live-only). Nothing else competes for the process, so the
 * figures move far less with machine load than bench/outcome-ingest.ts's, and profile cleanly:
 *
 *   node --conditions=react-server --import tsx bench/outcome-ingest-cpu.ts [--messages 300000] [--rounds 3]
 *   node --cpu-prof --conditions=react-server --import tsx bench/outcome-ingest-cpu.ts --only ingest
 */
import { performance } from "node:perf_hooks";
import { Kind, MsgImpl, Parser, type ParserEvent } from "@nats-io/nats-core/internal";
import type { Msg, MsgCallback, NatsConnection } from "@nats-io/nats-core";
import type { JetStreamManager } from "@nats-io/jetstream";
import { Hub } from "../server/hub/hub";
import { createOutcomeIngest } from "../server/watchers/outcome-subscriber";
import { framesFor, protocolCycle } from "./support/outcome-protocol";

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const N = Number(arg("messages", "300000"));
const ROUNDS = Number(arg("rounds", "3"));
const ONLY = arg("only", "");
const CHUNK = 64 * 1024;

/** Feeds `total` messages to `deliver` through the client's parser, yielding to the event loop per chunk. */
async function feed(total: number, deliver: MsgCallback<Msg>): Promise<void> {
  const cycle = protocolCycle("HMSG");
  const publisher = {} as ConstructorParameters<typeof MsgImpl>[2];
  const parser = new Parser({
    push(e: ParserEvent) {
      if (e.kind === Kind.MSG) deliver(null, new MsgImpl(e.msg!, e.data!, publisher));
    },
  });
  for (let first = 0; first < total; first += cycle.count) {
    // Unique ids per message, as the runner sends.
    const bytes = framesFor(cycle, first, Math.min(total, first + cycle.count));
    for (let o = 0; o < bytes.byteLength; o += CHUNK) {
      // A fresh buffer per read, as a socket hands them over.
      const read = bytes.subarray(o, Math.min(bytes.byteLength, o + CHUNK));
      const chunk = Buffer.allocUnsafeSlow(read.byteLength);
      chunk.set(read);
      parser.parse(chunk);
      await new Promise((r) => setImmediate(r));
    }
  }
}

interface Run {
  cpuUs: number;
  rate: number;
}

/** A subscriber under test: set up (not measured), fed, then finished (measured) with the count it took. */
interface Subject {
  deliver: MsgCallback<Msg>;
  finish: () => Promise<number>;
}

async function measure(start: () => Promise<Subject>): Promise<Run> {
  const subject = await start();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await feed(N, subject.deliver);
  const n = await subject.finish();
  const used = process.cpuUsage(cpu0);
  const ms = performance.now() - t0;
  if (n !== N) throw new Error(`expected ${N} messages, got ${n}`);
  return { cpuUs: (used.user + used.system) / N, rate: N / (ms / 1000) };
}

const bare = () =>
  measure(async () => {
    let n = 0;
    return { deliver: () => void n++, finish: async () => n };
  });

const ingest = () =>
  measure(async () => {
    let callback: MsgCallback<Msg> | undefined;
    const nc = {
      subscribe: (_s: string, o: { callback: MsgCallback<Msg> }) => ((callback = o.callback), { unsubscribe() {} }),
    } as unknown as NatsConnection;
    const jsm = { streams: { info: async () => Promise.reject(new Error("stream not found")) } } as unknown as JetStreamManager;
    let folded = 0;
    const hub = new Hub();
    const outcomes = createOutcomeIngest({
      nc,
      jsm: async () => jsm,
      hub,
      prefix: "reflex.outcome",
      stream: "REFLEX_OUTCOMES",
      onFlush: (n) => void (folded += n),
    });
    // Started as the server starts it: the summary's thread is up and has published once.
    while (!hub.getState("outcome_stats")) await new Promise((r) => setTimeout(r, 5));
    return {
      deliver: (err, m) => callback!(err, m),
      async finish() {
        outcomes.flush();
        // The summary is folded on its own thread: measured until it has folded everything.
        while (folded < N) await new Promise((r) => setTimeout(r, 1));
        outcomes.stop();
        hub.close();
        return folded;
      },
    };
  });

const fmt = (r: Run) => `${r.cpuUs.toFixed(2).padStart(6)} µs CPU/msg, ${Math.round(r.rate).toLocaleString("en-US").padStart(8)} msgs/s`;
console.log(
  `${N.toLocaleString("en-US")} messages per run, ${ROUNDS} rounds; in-process (no network, no publisher: "bare" does no socket work, so its ratio is not the live bench's)`,
);
for (let i = 0; i < ROUNDS; i++) {
  const b = ONLY === "ingest" ? null : await bare();
  const g = ONLY === "bare" ? null : await ingest();
  console.log(
    `round ${i + 1}: bare ${b ? fmt(b) : "-"}  |  busdeck ingest ${g ? fmt(g) : "-"}${b && g ? `  → ${(g.rate / b.rate).toFixed(2)}× bare` : ""}`,
  );
}
process.exit(0);
