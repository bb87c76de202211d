/**
 * Alert latency benchmark (issue #28: an alert leaves busdeck ≤ 2 s after the sample that opened its finding).
 * Prints figures; asserts nothing.
 *
 *   npx tsx --conditions=react-server bench/alert-latency.ts [--stalls 10] [--interval-ms 1000]
 *
 * On a fresh local nats-server and a real Alertmanager (Debian's prometheus-alertmanager), one busdeck runtime
 * with its default hysteresis samples every INTERVAL ms. STALLS consumers stall one after another; for each, the
 * time from the sample that opened its finding (the findings snapshot's `evaluated_at` when it first lists it
 * open) to Alertmanager listing the alert (polled every 10 ms on `GET /api/v2/alerts`).
 */
import { parseArgs } from "node:util";
import { connect } from "@nats-io/transport-node";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { startNatsServer } from "../server/nats-server-process";
import { createRuntime } from "../server/runtime";
import { listAlerts, startAlertmanager } from "../testing/alertmanager/alertmanager-process";
import { percentile } from "../testing/probes/proc-stats";
import { waitFor } from "../testing/wait-for";

const { values } = parseArgs({
  options: { stalls: { type: "string", default: "10" }, "interval-ms": { type: "string", default: "1000" } },
});
const STALLS = Number(values.stalls);
const INTERVAL_MS = Number(values["interval-ms"]);
const POLL_MS = 10;

const nats = await startNatsServer();
const am = await startAlertmanager();
const rt = await createRuntime({
  NATS_URL: nats.url,
  BUSDECK_FLEET_ID: "bench",
  BUSDECK_HISTORY: "0",
  BUSDECK_SAMPLE_INTERVAL_MS: String(INTERVAL_MS),
  BUSDECK_CONSUMER_WINDOW: "3",
  BUSDECK_ALERTMANAGER_URL: am.url,
});
const nc = await connect({ servers: nats.url });
const jsm = await jetstreamManager(nc);
const js = jetstream(nc);
await jsm.streams.add({ name: "BENCH", subjects: ["bench.>"] });
await waitFor("the runtime to lead", () => rt.fleet()?.status().role === "leader");

const latencies: number[] = [];
for (let i = 0; i < STALLS; i++) {
  const consumer = `stall-${i}`;
  const id = `consumer_health:consumer:BENCH/${consumer}`;
  await jsm.consumers.add("BENCH", { durable_name: consumer, ack_policy: AckPolicy.Explicit, filter_subject: `bench.${i}` });
  await js.publish(`bench.${i}`, "{}");
  const openedBy = await waitFor(
    `${consumer} to open`,
    () => {
      const snapshot = rt.hub.getState("findings");
      return snapshot?.open.some((f) => f.id === id) ? snapshot.evaluated_at : null;
    },
    60_000,
    POLL_MS,
  );
  const listedAt = await waitFor(
    `${consumer} in Alertmanager`,
    async () => ((await listAlerts(am.url)).some((a) => a.labels.finding_id === id) ? Date.now() : null),
    30_000,
    POLL_MS,
  );
  latencies.push(listedAt - Date.parse(openedBy));
  console.log(`${consumer}: ${listedAt - Date.parse(openedBy)} ms from the opening sample to Alertmanager`);
}

latencies.sort((a, b) => a - b);
console.log(
  `alert latency over ${STALLS} findings (sample interval ${INTERVAL_MS} ms, poll ${POLL_MS} ms): ` +
    `p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, max ${latencies.at(-1)} ms (target ≤ 2000 ms)`,
);

await nc.close();
await rt.stop();
await am.stop();
await nats.stop();
process.exit(0);
