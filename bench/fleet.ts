/**
 * Fleet benchmark (docs/benchmarks.md#replicas--benchfleet): JetStream API requests per second against a
 * nats-server holding 10,000 consumers (100 streams × 100), with 1 and then 3 busdeck replicas (child processes
 * running the real runtime, scripts/fleet-replica.ts). Prints figures; asserts nothing.
 *
 *   npm run bench:fleet -- [--streams 100] [--consumers 100] [--seconds 20] [--replicas 1,3] [--interval 1000]
 *
 * Requests are counted on the wire: a subscriber on `$JS.API.>` sees every request and its reply subject names the
 * replica (`_INBOX_busdeck.<holder id>`). "sampling" = the stream/consumer list calls and the tracker's exact
 * message lookups; "other" = what every replica does for itself (KV lock watch and its stall check, outcome history
 * probe, Failover timeline), which the election does not touch. At the end: what the persisted history
 * (BUSDECK_HISTORY, one record per stream per 10 s step) cost per consumer per day. On a busy 2-core machine a
 * 10,000-consumer tick takes longer than the 1 s interval, so req/s follows the tick time (which other load
 * stretches); requests per sample is the figure the replica count must not change.
 */
import { parseArgs } from "node:util";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { sampleSubjects } from "../lib/wire/fleet";
import { SAMPLING_API, auditApiRequests, startReplica, type ReplicaProcess } from "../server/fleet/replica-process";
import { startNatsServer } from "../server/nats-server-process";
import { waitFor } from "../testing/wait-for";
import { createConsumerLayout } from "../testing/nats/consumer-layout";
import { cpuSeconds, rssMiB } from "../testing/probes/proc-stats";

const { values } = parseArgs({
  options: {
    streams: { type: "string", default: "100" },
    consumers: { type: "string", default: "100" },
    seconds: { type: "string", default: "20" },
    replicas: { type: "string", default: "1,3" },
    interval: { type: "string", default: "1000" },
  },
});
const STREAMS = Number(values.streams);
const PER_STREAM = Number(values.consumers);
const SECONDS = Number(values.seconds);
const FLEETS = values.replicas.split(",").map(Number);

const srv = await startNatsServer();
const nc = await connect({ servers: srv.url, name: "bench" });
const fmt = (x: number, d = 1) => x.toFixed(d).padStart(8);
try {
  const t0 = performance.now();
  await createConsumerLayout(nc, { streams: STREAMS, perStream: PER_STREAM, messages: 20 });
  console.log(
    `setup: ${STREAMS} streams × ${PER_STREAM} consumers on nats-server 2.9 in ${((performance.now() - t0) / 1000).toFixed(1)} s; measuring ${SECONDS} s per fleet size`,
  );
  const audit = auditApiRequests(nc);
  let fanout = { msgs: 0, bytes: 0 };
  nc.subscribe(sampleSubjects("busdeck").all, {
    callback: (_e, m) => {
      fanout.msgs += 1;
      fanout.bytes += m.data.length;
    },
  });

  const results: { n: number; sampling: number; all: number; perSample: number }[] = [];
  for (const n of FLEETS) {
    const replicas: ReplicaProcess[] = [];
    try {
      for (let i = 0; i < n; i++)
        replicas.push(await startReplica(`bench-${n}-${i}`, { NATS_URL: srv.url, BUSDECK_SAMPLE_INTERVAL_MS: values.interval }, 60_000));
      // Warm up: one leader, and every replica has shown a full sample (taken or received) a few times.
      await waitFor(
        "every replica showing samples",
        async () => {
          const states = await Promise.all(replicas.map((r) => r.status()));
          return (
            states.filter((s) => s?.role === "leader").length === 1 &&
            states.every((s) => (s?.samples_taken ?? 0) + (s?.samples_received ?? 0) >= 3)
          );
        },
        120_000,
        500,
      );
      const taken0 = (await Promise.all(replicas.map((r) => waitFor(`${r.holderId} status`, () => r.status(), 10_000, 200)))).reduce(
        (n, s) => n + (s?.samples_taken ?? 0),
        0,
      );
      audit.reset();
      fanout = { msgs: 0, bytes: 0 };
      const cpu0 = replicas.map((r) => cpuSeconds(r.proc.pid!));
      await new Promise((r) => setTimeout(r, SECONDS * 1000));
      const cpu = replicas.map((r, i) => cpuSeconds(r.proc.pid!) - cpu0[i]!);
      // (a replica busy with a 10,000-consumer tick on a loaded machine may drop a status request: retry)
      const states = await Promise.all(replicas.map((r) => waitFor(`${r.holderId} status`, () => r.status(), 10_000, 200)));
      const perS = (x: number) => x / SECONDS;
      const sampling = perS(audit.total(SAMPLING_API));
      const all = perS(audit.total());
      const taken = states.reduce((k, s) => k + (s?.samples_taken ?? 0), 0) - taken0;
      const perSample = audit.total(SAMPLING_API) / Math.max(1, taken);
      results.push({ n, sampling, all, perSample });
      console.log(
        `\n${n} replica${n > 1 ? "s" : ""}: JetStream API ${fmt(all)} req/s in all, ${fmt(sampling)} req/s sampling, ${taken} samples → ${perSample.toFixed(1)} sampling requests per sample`,
      );
      console.log(`  replica          role      sampling/s  other/s   samples taken/received/refused (since start)   CPU %   RSS MiB`);
      replicas.forEach((r, i) => {
        const s = states[i];
        const samp = perS(audit.count(r.holderId, SAMPLING_API));
        const other = perS(audit.count(r.holderId)) - samp;
        console.log(
          `  ${r.holderId.padEnd(15)}  ${(s?.role ?? "?").padEnd(8)} ${fmt(samp)} ${fmt(other)}   ${String(s?.samples_taken ?? 0).padStart(6)} / ${String(s?.samples_received ?? 0).padStart(4)} / ${String(s?.samples_rejected ?? 0).padEnd(22)} ${fmt((cpu[i]! / SECONDS) * 100, 0)} ${fmt(rssMiB(r.proc.pid!), 0)}`,
        );
      });
      const bySubject = new Map<string, number>();
      for (const m of audit.byInbox.values())
        for (const [subject, c] of m) {
          const kind = subject.replace(/^(\$JS\.API\.[A-Z]+\.[A-Z]+).*/, "$1");
          bySubject.set(kind, (bySubject.get(kind) ?? 0) + c);
        }
      console.log(
        `  by API: ${[...bySubject]
          .sort((a, b) => b[1] - a[1])
          .map(([k, c]) => `${k} ${perS(c).toFixed(1)}/s`)
          .join(", ")}`,
      );
      console.log(
        `  fan-out on busdeck.sample.>: ${perS(fanout.msgs).toFixed(1)} msgs/s, ${(perS(fanout.bytes) / 1024 / 1024).toFixed(2)} MiB/s`,
      );
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
    }
  }
  await reportHistoryCost();
  console.log(
    `\nsummary (${STREAMS * PER_STREAM} consumers, interval ${values.interval} ms): ${results.map((r) => `${r.n} replica(s) → ${r.sampling.toFixed(1)} sampling req/s (${r.perSample.toFixed(1)}/sample), ${r.all.toFixed(1)} all req/s`).join("; ")}`,
  );
  audit.stop();
} finally {
  await nc.close();
  await srv.stop();
}

/** Storage of the persisted history the runs above wrote: one record per stream per step plus one for all streams. */
async function reportHistoryCost() {
  const info = await (await jetstreamManager(nc)).streams.info("BUSDECK_HISTORY").catch(() => null);
  if (!info) return console.log("\nhistory: no BUSDECK_HISTORY stream written");
  const steps = info.state.messages / (STREAMS + 1);
  const consumers = STREAMS * PER_STREAM;
  const perConsumerStep = info.state.bytes / steps / consumers;
  const stepsPerDay = 86_400 / 10;
  console.log(
    `\nhistory: ${info.state.messages} records, ${(info.state.bytes / 1024 / 1024).toFixed(2)} MiB stored for ${steps.toFixed(0)} steps of ${consumers} consumers → ${perConsumerStep.toFixed(1)} B per consumer per step, ${((perConsumerStep * stepsPerDay) / 1024).toFixed(0)} KiB per consumer per day at a 10 s step (${((perConsumerStep * stepsPerDay * consumers) / 1024 ** 3).toFixed(2)} GiB/day for all)`,
  );
}
