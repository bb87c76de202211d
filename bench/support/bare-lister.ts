/**
 * bench:consumer-sampler's "bare" side in a process of its own: on each {run: true} it makes the JetStream list
 * calls the sampler makes (the paged stream list, then one paged consumer list per stream, CONCURRENCY at a time)
 * and replies with the wall time, its CPU time, its GC pauses within the span and the consumers it counted.
 * Apart from the sampler so that each side's garbage is collected in its own time: in one process the full
 * sample's garbage was collected during bare rounds now and then, and the other way round.
 *
 *   node --import tsx bench/support/bare-lister.ts <nats url> <concurrency>
 */
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { mapLimit } from "../../server/concurrency";
import { CLIENT_TUNING } from "../../server/nats-connection";
import { pagesOf } from "../../server/samplers/jetstream-sampler";
import { recordGc } from "./gc-time";

export interface BareResult {
  ms: number;
  cpuMs: number;
  gcMs: number;
  majorGcMs: number;
  consumers: number;
}

const [url, concurrency] = process.argv.slice(2);
// busdeck's client options: the bare calls as busdeck's connection makes them
const nc = await connect({ ...CLIENT_TUNING, servers: url! });
const jsm = await jetstreamManager(nc);
const gc = recordGc();

async function listAll(): Promise<BareResult> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const infos = [];
  // page by page, as the sampler reads them: the cheapest way the client offers
  for await (const page of pagesOf(jsm.streams.list())) infos.push(...page);
  let consumers = 0;
  await mapLimit(infos, Number(concurrency), async (si) => {
    for await (const page of pagesOf(jsm.consumers.list(si.config.name))) consumers += page.length;
  });
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  // GC entries are delivered after the pause: read them a moment later
  await new Promise((r) => setTimeout(r, 20));
  const g = gc.within(t0, t0 + ms);
  return { ms, cpuMs: (c.user + c.system) / 1000, gcMs: g.ms, majorGcMs: g.majorMs, consumers };
}

process.on("message", async (m: { run?: boolean; stop?: boolean }) => {
  if (m.stop) {
    gc.stop();
    await nc.close();
    process.exit(0);
  }
  if (m.run) process.send?.(await listAll());
});
process.send?.({ ready: true });
