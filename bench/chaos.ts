/**
 * Chaos run (harness: testing/chaos/harness.ts): 3 nats-server nodes, 3 busdeck replicas (production
 * build in .next-chaos, built when missing), a test Alertmanager, a known outcome workload, and a seeded schedule
 * that SIGKILLs nodes, SIGKILLs/SIGTERMs replicas and cuts the publisher's connection. Prints the faults injected
 * and every check (expected vs got, per replica); exits 1 when a check failed.
 *
 *   npm run chaos -- [--minutes 30] [--seed N] [--rate 1000] [--rebuild] [--settle 180] [--log-dir DIR]
 *
 * --log-dir keeps each replica's output in DIR/<replica>.log.
 */
import { parseArgs } from "node:util";
import { ensureChaosBuild, runChaos } from "../testing/chaos/harness";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "30" },
    seed: { type: "string", default: String(Math.floor(Math.random() * 2 ** 31)) },
    rate: { type: "string", default: "1000" },
    rebuild: { type: "boolean", default: false },
    settle: { type: "string", default: "180" },
    "log-dir": { type: "string" },
  },
});
const minutes = Number(values.minutes);
const seed = Number(values.seed);
const rate = Number(values.rate);
const t0 = Date.now();
const stamp = () => `[${((Date.now() - t0) / 1000).toFixed(0).padStart(5)} s]`;
console.log(`chaos: seed ${seed}, ${minutes} min, ${rate} outcomes/s (same seed → same schedule)`);
ensureChaosBuild(values.rebuild, (l) => console.log(`${stamp()} ${l}`));

const result = await runChaos({
  minutes,
  seed,
  rate,
  settleMs: Number(values.settle) * 1000,
  logDir: values["log-dir"],
  log: (l) => console.log(`${stamp()} ${l}`),
});

console.log(`\nschedule (seed ${seed}):`);
for (const f of result.schedule.faults)
  console.log(
    `  +${(f.at_ms / 1000).toFixed(1).padStart(7)} s  ${f.kind.padEnd(14)} target ${f.target}  down ${(f.down_ms / 1000).toFixed(1)} s`,
  );
console.log(`  lock changes: ${result.schedule.lockChanges.map((c) => `+${c.at_ms / 1000}s ${c.mode}`).join(", ")}`);
console.log(`  stall consumer: +${result.schedule.stall.from_ms / 1000} s … +${result.schedule.stall.to_ms / 1000} s`);

console.log(`\nfaults injected:`);
console.log(`  ${"kind".padEnd(14)} ${"target".padEnd(22)} ${"at".padStart(9)} ${"back".padStart(9)}  error`);
for (const f of result.faults)
  console.log(
    `  ${f.kind.padEnd(14)} ${f.target_name.padEnd(22)} ${`+${(f.injected_ms / 1000).toFixed(1)}s`.padStart(9)} ${(f.restored_ms === null ? "-" : `+${(f.restored_ms / 1000).toFixed(1)}s`).padStart(9)}  ${f.error ?? ""}`,
  );
const p = result.published;
console.log(
  `\npublished: ${p.acked} outcomes acked of ${p.issued} issued in ${p.seconds.toFixed(0)} s (${(p.acked / p.seconds).toFixed(0)}/s), ` +
    `${p.duplicates} duplicate acks, ${p.retries} retries; ${result.lockTransitions.length} lock transitions; ${result.findingsSeen} findings opened`,
);
for (const f of result.findings)
  console.log(
    `  finding ${f.id} ${f.state}: +${(f.since_ms / 1000).toFixed(1)} s` +
      (f.resolved_ms === null ? "" : ` → +${(f.resolved_ms / 1000).toFixed(1)} s`),
  );

console.log(`\nchecks:`);
const w = Math.max(...result.checks.map((c) => c.name.length));
for (const c of result.checks)
  console.log(
    `  ${c.ok ? (c.na ? "n/a " : "ok  ") : "FAIL"} ${c.replica.padEnd(9)} ${c.name.padEnd(w)}  expected: ${c.expected}  got: ${c.got}`,
  );
console.log(`\n${result.ok ? "every check held" : "SOME CHECKS FAILED"}`);
process.exit(result.ok ? 0 : 1);
