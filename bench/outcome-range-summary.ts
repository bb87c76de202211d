/**
 * A 24 h range summary of the Reflex outcomes view at 1,000 outcomes/s: 1,440 minutes × handlers of per-minute
 * rollups in busdeck's rollup stream (each folded by the real aggregator from synthetic outcomes with varied
 * durations and errors, then repeated across the day), summarized by `queryRangeSummary` as the route does, against
 * reading those same rollup records bare (an ordered consumer, no parsing) in the same run. Prints figures.
 *
 *   node --conditions=react-server --import tsx bench/outcome-range-summary.ts [--handlers 10] [--hours 24] [--runs 5]
 */
import { parseArgs } from "node:util";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { startNatsServer } from "../server/nats-server-process";
import { Hub } from "../server/hub/hub";
import { CLIENT_TUNING } from "../server/nats-connection";
import { openRollupStore } from "../server/outcomes/rollup-store";
import { queryRangeSummary, type OutcomeSource } from "../server/outcomes/query";
import { RollupBuilder, type OutcomeRollup } from "../lib/outcomes/rollup";
import type { OutcomeRecord } from "../lib/outcomes/outcome";

const { values } = parseArgs({
  options: {
    handlers: { type: "string", default: "10" },
    hours: { type: "string", default: "24" },
    runs: { type: "string", default: "5" },
  },
});
const HANDLERS = Number(values.handlers);
const MINUTES = Number(values.hours) * 60;
const RUNS = Number(values.runs);
const PER_MINUTE = 60_000; // 1,000 outcomes/s
const SAMPLE = 6_000; // outcomes folded into the template minute (the sizes of a rollup do not grow with counts)
const STREAM = "REFLEX_OUTCOMES";
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One synthetic outcome: a tenth errored, with values in the exception (fingerprinted into few groups). */
function outcome(i: number, t: number): OutcomeRecord {
  const handler = `handler_${i % HANDLERS}`;
  const errored = i % 10 === 0;
  return {
    id: String(i + 1),
    subject: `reflex.outcome.${handler}`,
    handler_id: handler,
    received_at: new Date(t).toISOString(),
    stream_seq: i + 1,
    size: 400,
    valid: true,
    body: {
      handler_id: handler,
      severity: errored ? "high" : "info",
      kind: errored ? "errored" : "logged",
      target: `dev-${i % 97}`,
      diagnostic: errored ? `Traceback (most recent call last):\nKeyError: 'peer-${i % 5000}'` : undefined,
      event: { subject: "sensory.x" },
      emitted_at: new Date(t).toISOString(),
      duration_ms: 1 + ((i * 7919) % 2000) / 10,
    },
  };
}

/** The template minute's rollups, one per handler, folded by the real builder. */
function templateMinute(minute: number): OutcomeRollup[] {
  const b = new RollupBuilder();
  for (let i = 0; i < SAMPLE; i++) b.add(outcome(i, minute + Math.floor((i * 60_000) / SAMPLE)), minute + 1, i + 1);
  return b.add(outcome(SAMPLE, minute + 60_000), minute + 60_001, SAMPLE + 1);
}

/** The template moved to another minute, counting as 1,000 outcomes/s. */
function shifted(r: OutcomeRollup, minute: number, index: number): OutcomeRollup {
  const d = minute - r.minute;
  const move = (t: number | null | undefined) => (typeof t === "number" ? t + d : t);
  return {
    ...r,
    minute,
    minute_last_seq: (index + 1) * PER_MINUTE,
    total: Math.round((r.total * PER_MINUTE) / SAMPLE),
    first_t: move(r.first_t),
    last_t: move(r.last_t) ?? null,
    last_error_t: move(r.last_error_t) ?? null,
    buckets: r.buckets.map((b) => ({ ...b, t: b.t + d })),
    groups: r.groups.map((g) => ({ ...g, first_t: g.first_t + d, last_t: g.last_t + d })),
  };
}

const server = await startNatsServer();
// Tuned as busdeck's own connection is (server/nats-connection.ts); both sides of the comparison use it.
const nc = await connect({ ...CLIENT_TUNING, servers: server.url });
const jsm = await jetstreamManager(nc);
await jsm.streams.add({ name: STREAM, subjects: ["reflex.outcome.>"] });
const store = await openRollupStore(nc, jsm, { replicas: 1 });

const to = Math.floor(Date.now() / 60_000) * 60_000;
const from = to - MINUTES * 60_000;
const template = templateMinute(from - 60_000);
const bytesPerRecord = template.reduce((n, r) => n + JSON.stringify(r).length, 0) / template.length;
const writing = Date.now();
for (let m = 0; m < MINUTES; m += 60) {
  const batch: OutcomeRollup[] = [];
  for (let k = m; k < Math.min(MINUTES, m + 60); k++) for (const r of template) batch.push(shifted(r, from + k * 60_000, k));
  await store.write(batch);
}
const records = MINUTES * template.length;
console.log(
  `${records.toLocaleString("en")} rollup records (${MINUTES} minutes × ${template.length} handlers, ~${Math.round(bytesPerRecord)} B each) ` +
    `for ${((MINUTES * PER_MINUTE) / 1e6).toFixed(1)}M outcomes, written in ${((Date.now() - writing) / 1000).toFixed(1)} s`,
);

const src: OutcomeSource = { nc, jsm, hub: new Hub(), prefix: "reflex.outcome", stream: STREAM, rollups: () => Promise.resolve(store) };

/** The same records read bare: an ordered consumer on the rollup stream (it holds nothing else) from the range's start, counting messages, nothing parsed. */
async function bareRead(): Promise<number> {
  const js = jetstream(nc);
  const c = await js.consumers.get(store.stream, { opt_start_time: new Date(from).toISOString() });
  const t0 = performance.now();
  let n = 0;
  const msgs = await c.consume();
  for await (const _ of msgs) if (++n >= records) break;
  await msgs.close();
  return performance.now() - t0;
}

const summaryMs: number[] = [];
const bareMs: number[] = [];
let total = 0;
for (let run = 0; run < RUNS; run++) {
  bareMs.push(await bareRead());
  const t0 = performance.now();
  const summary = await queryRangeSummary(src, from, to);
  summaryMs.push(performance.now() - t0);
  total = summary.stats.total;
}
console.log(`summary total ${total.toLocaleString("en")} outcomes over ${values.hours} h, ${RUNS} runs, alternated with the bare read`);
console.log(`range summary: median ${median(summaryMs).toFixed(0)} ms (runs ${summaryMs.map((x) => x.toFixed(0)).join(", ")})`);
console.log(`bare read of the same rollups: median ${median(bareMs).toFixed(0)} ms (runs ${bareMs.map((x) => x.toFixed(0)).join(", ")})`);
console.log(`ratio summary / bare: ${(median(summaryMs) / median(bareMs)).toFixed(2)}×`);
await nc.close();
await server.stop();
