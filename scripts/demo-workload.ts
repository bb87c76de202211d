/**
 * Standalone demo workload against any NATS server with JetStream:
 *   npx tsx scripts/demo-workload.ts --url nats://127.0.0.1:4222 --seed 42 --rate 2 [--replicas 3] [--fast]
 * NATS_URL is used when --url is absent. Runs until SIGINT/SIGTERM, then stops its loops and drains.
 */
import { parseArgs } from "node:util";
import { connect } from "@nats-io/transport-node";
import { FAST_DEMO_TIMINGS, startDemo } from "../server/demo/index";

const USAGE = "usage: npx tsx scripts/demo-workload.ts [--url nats://host:4222] [--seed N] [--rate X] [--replicas N] [--fast]";

function numberArg(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) {
    console.error(`--${name} must be a number, got ${JSON.stringify(raw)}\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      seed: { type: "string" },
      rate: { type: "string" },
      replicas: { type: "string" },
      fast: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const url = values.url ?? process.env.NATS_URL ?? "nats://127.0.0.1:4222";
  const log = (msg: string) => console.log(`${new Date().toISOString()} [demo] ${msg}`);

  const nc = await connect({ servers: url, name: "busdeck-demo-workload", maxReconnectAttempts: -1 });
  log(`connected to ${nc.getServer()}`);
  const demo = await startDemo(nc, {
    seed: numberArg("seed", values.seed),
    rate: numberArg("rate", values.rate),
    replicas: numberArg("replicas", values.replicas),
    // --fast compresses the story (failovers every few seconds) for demos and screenshots.
    timings: values.fast ? FAST_DEMO_TIMINGS : undefined,
    log,
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, stopping`);
    await demo.stop();
    await nc.drain();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  await nc.closed();
}

main().catch((err) => {
  console.error(`demo-workload: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
