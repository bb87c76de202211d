/**
 * Error groups under the load that filled the table before fingerprints: 300 errored outcomes/s whose
 * exceptions differ only by an id, for ten minutes of outcome time, with steady groups firing among them. Prints
 * the number of groups and the steady groups' counts, then the same with 300/s exceptions that differ in words
 * (no fingerprint can merge them), and how fast the aggregator folds. Prints figures; asserts nothing.
 *
 *   npm run bench:groups -- [--rate 300] [--seconds 600]
 */
import { parseArgs } from "node:util";
import { OutcomeAggregator } from "../lib/outcomes/stats";
import type { OutcomeRecord } from "../lib/outcomes/outcome";

const { values } = parseArgs({ options: { rate: { type: "string", default: "300" }, seconds: { type: "string", default: "600" } } });
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const T0 = Date.parse("2026-12-07T10:00:00.000Z");
const STEADY = [
  { line: "TimeoutError: snmp walk of edge-rtr-01 timed out after 5s", every: 1 },
  { line: "ValueError: invalid literal for int() with base 10: 'Gi1/0/24'", every: 10 },
];

let seq = 0;
function errored(line: string, t: number): OutcomeRecord {
  const id = String(++seq);
  return {
    id,
    subject: "reflex.outcome.bgp_drop",
    handler_id: "bgp_drop",
    received_at: new Date(t).toISOString(),
    stream_seq: seq,
    size: 400,
    valid: true,
    body: {
      handler_id: "bgp_drop",
      severity: "high",
      kind: "errored",
      target: "edge-rtr-01",
      diagnostic: `Traceback (most recent call last):\n  File "/app/reflex/bgp_drop.py", line 88, in handle\n    peer = peers[key]\n${line}`,
      event: { subject: "sensory.bgp.drop" },
      emitted_at: new Date(t).toISOString(),
    },
  };
}

/** A distinct lowercase word per number: exceptions no fingerprint can merge. */
const word = (i: number) => i.toString(26).replace(/[0-9]/g, (d) => "qrstuvwxyz"[Number(d)]!);

function run(label: string, oneOff: (i: number) => string) {
  const agg = new OutcomeAggregator();
  const started = performance.now();
  let n = 0;
  for (let s = 0; s < SECONDS; s++) {
    for (let i = 0; i < RATE; i++, n++) agg.add(errored(oneOff(n), T0 + s * 1_000 + Math.floor((i * 1_000) / RATE)));
    for (const g of STEADY) if (s % g.every === 0) agg.add(errored(g.line, T0 + s * 1_000 + 999));
  }
  const ms = performance.now() - started;
  const groups = agg.snapshot(T0 + SECONDS * 1_000, { stream_available: true, history: { mode: "pending" } }).groups;
  console.log(`\n${label}: ${n.toLocaleString("en")} one-off errors + steady groups over ${SECONDS} s of outcome time`);
  console.log(`  groups: ${groups.length}`);
  for (const g of STEADY) {
    const expected = Math.ceil(SECONDS / g.every);
    const found = groups.filter((x) => x.sample === g.line);
    console.log(
      `  steady (every ${g.every} s): ${found.map((x) => `${x.exception} count ${x.count}`).join("; ") || "EVICTED"} (fired ${expected})`,
    );
  }
  console.log(`  largest group: ${groups[0]?.exception} count ${groups[0]?.count} · ${groups[0]?.examples.length} example values kept`);
  console.log(`  folded ${Math.round(n / (ms / 1_000)).toLocaleString("en")} errored outcomes/s (${Math.round(ms)} ms)`);
}

run("errors differing only by an id", (i) => `KeyError: 'peer-${70_000 + i}'`);
run("errors differing in words (worst case)", (i) => `LookupError: no peer named ${word(i)}`);
