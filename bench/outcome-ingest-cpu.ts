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
import { Hub } from "../server/hub";
import { createOutcomeIngest } from "../server/watchers/outcome-subscriber";
import { outcomeMessages } from "./support/outcome-payloads";

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const N = Number(arg("messages", "300000"));
const ROUNDS = Number(arg("rounds", "3"));
const ONLY = arg("only", "");
const CHUNK = 64 * 1024;
const ROUND_DIGITS = 7;

/** One cycle of the pool as server protocol bytes, and where each message's id counter goes. */
function protocolCycle() {
  const pool = outcomeMessages(2_000);
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const counterAt: number[] = [];
  let at = 0;
  for (const m of pool) {
    const hdr = `NATS/1.0\r\nContent-Type: application/json\r\nNats-Msg-Id: ${m.msgId}-${"0".repeat(ROUND_DIGITS)}\r\n\r\n`;
    const head = `HMSG ${m.subject} 1 ${hdr.length} ${hdr.length + m.data.byteLength}\r\n`;
    const frame = [enc.encode(head + hdr), m.data, enc.encode("\r\n")];
    counterAt.push(at + head.length + hdr.length - 4 - ROUND_DIGITS);
    for (const p of frame) {
      parts.push(p);
      at += p.byteLength;
    }
  }
  const bytes = new Uint8Array(at);
  let o = 0;
  for (const p of parts) {
    bytes.set(p, o);
    o += p.byteLength;
  }
  return { bytes, counterAt, count: pool.length };
}

/** Feeds `total` messages to `deliver` through the client's parser, yielding to the event loop per chunk. */
async function feed(total: number, deliver: MsgCallback<Msg>): Promise<void> {
  const cycle = protocolCycle();
  const publisher = {} as ConstructorParameters<typeof MsgImpl>[2];
  const parser = new Parser({
    push(e: ParserEvent) {
      if (e.kind === Kind.MSG) deliver(null, new MsgImpl(e.msg!, e.data!, publisher));
    },
  });
  const rounds = Math.ceil(total / cycle.count);
  for (let round = 0; round < rounds; round++) {
    // Unique ids per round, as the runner sends: written into this round's copy of the cycle.
    const bytes = cycle.bytes.slice();
    const digits = String(round).padStart(ROUND_DIGITS, "0");
    for (const at of cycle.counterAt) for (let d = 0; d < ROUND_DIGITS; d++) bytes[at + d] = digits.charCodeAt(d);
    const last = round === rounds - 1 ? total - round * cycle.count : cycle.count;
    const end = last === cycle.count ? bytes.byteLength : frameStart(cycle, last);
    for (let o = 0; o < end; o += CHUNK) {
      // A fresh buffer per read, as a socket hands them over.
      const read = bytes.subarray(o, Math.min(end, o + CHUNK));
      const chunk = Buffer.allocUnsafeSlow(read.byteLength);
      chunk.set(read);
      parser.parse(chunk);
      await new Promise((r) => setImmediate(r));
    }
  }
}

/** Where message `i` of the cycle starts: just after the previous message's trailing CRLF. */
function frameStart(cycle: { bytes: Uint8Array; counterAt: number[] }, i: number): number {
  // Each frame starts with "HMSG": search back from its id counter.
  let at = cycle.counterAt[i]!;
  while (!(cycle.bytes[at] === 0x48 && cycle.bytes[at + 1] === 0x4d && cycle.bytes[at + 2] === 0x53 && cycle.bytes[at + 3] === 0x47)) at--;
  return at;
}

interface Run {
  cpuUs: number;
  rate: number;
}

async function measure(run: (deliver: (cb: MsgCallback<Msg>) => Promise<void>) => Promise<() => number>): Promise<Run> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let counted = () => 0;
  counted = await run((cb) => feed(N, cb));
  const used = process.cpuUsage(cpu0);
  const ms = performance.now() - t0;
  const n = counted();
  if (n !== N) throw new Error(`expected ${N} messages, got ${n}`);
  return { cpuUs: (used.user + used.system) / N, rate: N / (ms / 1000) };
}

const bare = () =>
  measure(async (deliver) => {
    let n = 0;
    await deliver(() => void n++);
    return () => n;
  });

const ingest = () =>
  measure(async (deliver) => {
    let callback: MsgCallback<Msg> | undefined;
    const nc = { subscribe: (_s: string, o: { callback: MsgCallback<Msg> }) => ((callback = o.callback), { unsubscribe() {} }) } as unknown as NatsConnection;
    const jsm = { streams: { info: async () => Promise.reject(new Error("stream not found")) } } as unknown as JetStreamManager;
    let folded = 0;
    const hub = new Hub();
    const outcomes = createOutcomeIngest({ nc, jsm: async () => jsm, hub, prefix: "reflex.outcome", stream: "REFLEX_OUTCOMES", onFlush: (n) => void (folded += n) });
    await deliver((err, m) => callback!(err, m));
    outcomes.flush();
    outcomes.stop();
    hub.close();
    return () => folded;
  });

const fmt = (r: Run) => `${r.cpuUs.toFixed(2).padStart(6)} µs CPU/msg, ${Math.round(r.rate).toLocaleString("en-US").padStart(8)} msgs/s`;
console.log(`${N.toLocaleString("en-US")} messages per run, ${ROUNDS} rounds; in-process (no network, no publisher: "bare" does no socket work, so its ratio is not the live bench's)`);
for (let i = 0; i < ROUNDS; i++) {
  const b = ONLY === "ingest" ? null : await bare();
  const g = ONLY === "bare" ? null : await ingest();
  console.log(`round ${i + 1}: bare ${b ? fmt(b) : "-"}  |  busdeck ingest ${g ? fmt(g) : "-"}${b && g ? `  → ${(g.rate / b.rate).toFixed(2)}× bare` : ""}`);
}
process.exit(0);
