/**
 * Publishes reflex outcomes from a JSON-lines log (a file, or stdin) on the contract subjects (docs/contracts.md):
 *   npm run outcomes:publish -- [--url nats://host:4222] [--prefix reflex.outcome] [file.jsonl]
 * NATS_URL, NATS_USER/NATS_PASSWORD, NATS_TOKEN and NATS_CREDS are read like busdeck reads them. Bad lines are
 * reported on stderr with their line number and skipped; the exit code is 1 when any line was bad, 2 on usage.
 */
import { createReadStream, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { credsAuthenticator } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { publishOutcomeLines } from "../server/outcomes/outcome-publisher";

const USAGE = "usage: npm run outcomes:publish -- [--url nats://host:4222] [--prefix reflex.outcome] [file.jsonl]   (stdin without a file)";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { url: { type: "string" }, prefix: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
  });
  if (values.help || positionals.length > 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const env = process.env;
  const nc = await connect({
    servers: values.url ?? env.NATS_URL ?? "nats://127.0.0.1:4222",
    name: "busdeck-outcomes-publish",
    ...(env.NATS_USER ? { user: env.NATS_USER, pass: env.NATS_PASSWORD } : {}),
    ...(env.NATS_TOKEN ? { token: env.NATS_TOKEN } : {}),
    ...(env.NATS_CREDS ? { authenticator: credsAuthenticator(readFileSync(env.NATS_CREDS)) } : {}),
  });
  const input = positionals[0] ? createReadStream(positionals[0]) : process.stdin;
  const lines = createInterface({ input, crlfDelay: Infinity });
  const summary = await publishOutcomeLines(nc, lines, {
    prefix: values.prefix ?? env.BUSDECK_OUTCOME_PREFIX ?? "reflex.outcome",
    onBad: (b) => console.error(`line ${b.line}: skipped: ${b.error}`),
  });
  await nc.drain();
  const where = summary.stream ? `stored in ${summary.stream}` : "on core NATS (no stream captures these subjects: live only)";
  console.log(
    `published ${summary.published} outcomes ${where}; ${summary.duplicates} already stored (not stored twice); ${summary.bad.length} bad lines skipped`,
  );
  return summary.bad.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`outcomes:publish: ${(err as Error).message}`);
    process.exit(2);
  },
);
