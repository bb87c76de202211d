// Reads http://127.0.0.1:<port><path> back to back for <durationMs>; reports how many answers and their p50/worst.
import http from "node:http";
import { performance } from "node:perf_hooks";

const [port, path, durationMs] = [Number(process.argv[2]), process.argv[3], Number(process.argv[4])];
const times = [];
let failed = 0;
const read = () =>
  new Promise((resolve) => {
    const t0 = performance.now();
    http
      .get({ host: "127.0.0.1", port, path, agent: false }, (res) => {
        if (res.statusCode !== 200) failed++;
        res.resume();
        res.on("end", () => resolve(performance.now() - t0));
      })
      .on("error", () => resolve(NaN));
  });
const end = performance.now() + durationMs;
while (performance.now() < end) times.push(await read());
const ok = times.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
process.send({ reads: ok.length, failed, p50: ok[Math.floor(ok.length / 2)] ?? NaN, worst: ok.at(-1) ?? NaN }, () => process.exit(0));
