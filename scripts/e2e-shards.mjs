#!/usr/bin/env node
// Runs the Playwright suite as E2E_SHARDS (default 2) shards at once, each its own process with its own demo
// server, NATS and state: the suite mostly waits on live data, so shards overlap their waiting. Arguments go to
// every `playwright test`; output lines carry their shard; exits non-zero when any shard fails.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const shards = Math.max(1, Number(process.env.E2E_SHARDS ?? 2));
const children = [];

function runShard(index) {
  // Each shard's config picks its own free port; an inherited one would be shared.
  const { E2E_PORT: _inherited, ...env } = process.env;
  const child = spawn("npx", ["playwright", "test", `--shard=${index}/${shards}`, ...process.argv.slice(2)], {
    env: { ...env, E2E_SHARD: String(index) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  for (const [from, to] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ])
    createInterface({ input: from }).on("line", (line) => to.write(`[${index}/${shards}] ${line}\n`));
  return new Promise((resolve) => child.on("close", (code) => resolve(code ?? 1)));
}

for (const signal of ["SIGINT", "SIGTERM"])
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
  });

const codes = await Promise.all(Array.from({ length: shards }, (_, k) => runShard(k + 1)));
codes.forEach((code, k) => console.log(`shard ${k + 1}/${shards}: ${code === 0 ? "passed" : `failed (exit ${code})`}`));
process.exit(codes.every((code) => code === 0) ? 0 : 1);
