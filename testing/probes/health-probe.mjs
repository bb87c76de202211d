// Asks http://127.0.0.1:<port>/api/health every 10 ms for <durationMs>; reports answer latencies to the parent.
import http from "node:http";
import { performance } from "node:perf_hooks";

const [port, durationMs] = process.argv.slice(2).map(Number);
const latencies = [];
const ask = () =>
  new Promise((resolve) => {
    const t0 = performance.now();
    http
      .get({ host: "127.0.0.1", port, path: "/api/health", agent: false }, (res) => {
        res.resume();
        res.on("end", () => resolve(performance.now() - t0));
      })
      .on("error", () => resolve(NaN));
  });
const end = performance.now() + durationMs;
while (performance.now() < end) {
  latencies.push(await ask());
  await new Promise((r) => setTimeout(r, 10));
}
const ok = latencies.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
process.send({ probes: ok.length, worst: ok.at(-1) ?? NaN, p50: ok[Math.floor(ok.length / 2)] ?? NaN }, () => process.exit(0));
