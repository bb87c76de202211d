/**
 * Redaction of adversarial payloads: each shape built to about 8 MB, masked with the default rules, reported
 * as ms per MB (median of 3). Then the event-loop view of it: an HTTP server in this process answers a
 * health-like route while a client (a child process, so its clock is not blocked) asks every 10 ms and the
 * largest shape is masked over and over; the answer's worst latency is what /api/health would see. Last, the
 * ingest side: outcomes per second through summaryRedactor (the summary's fold) and redactOutcome (a record
 * leaving the server) over the demo's outcomes.
 *
 *   npm run bench:redaction -- [--mb 8]
 */
import { fork } from "node:child_process";
import { createServer } from "node:http";
import { performance } from "node:perf_hooks";
import { parseOutcome } from "../lib/outcomes/outcome";
import { compilePatterns, DEFAULT_REDACT_PATTERNS, redactOutcome, redactPayload, summaryRedactor } from "../lib/security/redaction";
import { secretJson } from "../testing/fixtures/adversarial-json";
import { outcomeMessages } from "../testing/fixtures/outcome-payloads";

const i = process.argv.indexOf("--mb");
const MB = i > 0 ? Number(process.argv[i + 1]) : 8;
const SIZE = MB * 1024 * 1024;
const rules = compilePatterns(DEFAULT_REDACT_PATTERNS);
const enc = new TextEncoder();

/** `unit` repeated to `SIZE` bytes. */
const repeat = (unit: string) => enc.encode(unit.repeat(Math.ceil(SIZE / unit.length)));

const shapes: Record<string, () => Uint8Array> = {
  "log lines, 60 KB hex value after a keyword": () => repeat(`ts=2026-12-07T00:00:00Z level=info token=${"9f".repeat(30_000)} msg=ok\n`),
  "60 KB word runs after a keyword, no =": () => repeat(`password${"A".repeat(60_000)} user=ann\n`),
  "thousands of k=v pairs a line": () => repeat(`${"key=value&".repeat(5_000)}api_key=S1\n`),
  "JSON, secrets in string values": () => secretJson(SIZE),
  "JSON, clean (keys and values scanned, nothing masked)": () =>
    enc.encode(
      JSON.stringify(
        Array.from({ length: Math.ceil(SIZE / 80) }, (_, n) => ({ n, device: `sw-${n}`, at: "2026-12-07T00:00:00Z", ok: true })),
      ),
    ),
  "invalid UTF-8 with secrets": () => {
    const b = repeat("\xff password=hunter2 Authorization: Bearer abc.def \xfe\n");
    for (let k = 0; k < b.length; k += 97) b[k] = 0xff;
    return b;
  },
  "unclosed quotes and eyJ- runs": () => repeat(`token="${"eyJ-".repeat(2_000)}\n`),
  "one 8 MB line (masked whole)": () => enc.encode(`x=${"b".repeat(SIZE)} password=hunter2`),
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Wall and CPU time (median of 3): on a shared machine the CPU time is the steadier figure. */
function timeShape(bytes: Uint8Array): { ms: number; cpuMs: number; count: number } {
  const times: number[] = [];
  const cpu: number[] = [];
  let count = 0;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    count = redactPayload(bytes, rules).count;
    const c = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { ms: median(times), cpuMs: median(cpu), count };
}

async function healthWhileMasking(bytes: Uint8Array, durationMs: number): Promise<{ probes: number; worst: number; p50: number }> {
  const server = createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  // The client runs in its own process: its timer and clock keep going while this event loop is busy.
  const probe = fork(new URL("../testing/probes/health-probe.mjs", import.meta.url).pathname, [String(port), String(durationMs)]);
  const result = new Promise<{ probes: number; worst: number; p50: number }>((resolve) =>
    probe.on("message", (m) => resolve(m as { probes: number; worst: number; p50: number })),
  );
  const end = performance.now() + durationMs;
  // Mask back to back, giving the loop one turn between payloads as a request handler would.
  while (performance.now() < end) {
    redactPayload(bytes, rules);
    await new Promise((r) => setImmediate(r));
  }
  const r = await result;
  server.close();
  return r;
}

async function main() {
  console.log(`redaction of adversarial payloads, ${MB} MB each, default rules (median of 3)`);
  console.log("| shape | MB | masked | wall ms | wall ms per MB | CPU ms per MB |");
  console.log("|---|---|---|---|---|---|");
  let largest: Uint8Array | null = null;
  for (const [name, build] of Object.entries(shapes)) {
    const bytes = build();
    const { ms, cpuMs, count } = timeShape(bytes);
    const mb = bytes.length / 1024 / 1024;
    console.log(`| ${name} | ${mb.toFixed(1)} | ${count} | ${ms.toFixed(0)} | ${(ms / mb).toFixed(1)} | ${(cpuMs / mb).toFixed(1)} |`);
    if (name.startsWith("JSON, secrets")) largest = bytes;
  }
  const healthCases = [
    ["JSON, secrets in string values", largest!],
    ["log lines, 60 KB hex value", shapes["log lines, 60 KB hex value after a keyword"]!()],
    ["JSON, secrets in string values, 1 MB (NATS's default max payload)", secretJson(1024 * 1024)],
  ] as const;
  for (const [label, bytes] of healthCases) {
    const h = await healthWhileMasking(bytes, 5_000);
    console.log(
      `health-like route while masking "${label}" back to back for 5 s: ${h.probes} answers, p50 ${h.p50.toFixed(1)} ms, worst ${h.worst.toFixed(1)} ms`,
    );
  }
}

function outcomeRates() {
  const records = outcomeMessages(50_000).map((m, n) =>
    parseOutcome({ id: String(n), subject: m.subject, data: m.data, received_at: "2026-12-07T00:00:00Z" }),
  );
  const summary = summaryRedactor(rules, rules);
  const rate = (pass: () => void, reps: number) => {
    const c0 = process.cpuUsage();
    for (let r = 0; r < reps; r++) pass();
    const c = process.cpuUsage(c0);
    return Math.round((reps * records.length) / ((c.user + c.system) / 1e6)).toLocaleString("en-US");
  };
  console.log(`summaryRedactor (the fold): ${rate(() => records.forEach(summary), 4)} outcomes per CPU second`);
  console.log(
    `redactOutcome (whole record): ${rate(() => records.forEach((r) => redactOutcome(r, rules, rules)), 1)} outcomes per CPU second`,
  );
}

void main().then(outcomeRates);
