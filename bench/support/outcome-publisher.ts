/**
 * Publishes N reflex outcomes (cycling through a pool of distinct ones) as fast as the connection allows,
 * with the headers the reflex runner sends. A separate process so publishing doesn't share the measured
 * subscriber's event loop.   node --import tsx bench/support/outcome-publisher.ts <url> <count> [first index]
 * Several publishers share a run by taking disjoint index ranges (the index goes into each Nats-Msg-Id).
 */
import { connect } from "@nats-io/transport-node";
import { headers } from "@nats-io/nats-core";
import { outcomeMessages } from "../../testing/fixtures/outcome-payloads";

const [url, countArg, firstArg] = process.argv.slice(2);
const count = Number(countArg);
const first = Number(firstArg ?? 0);
const pool = outcomeMessages(2_000);
const nc = await connect({ servers: url! });
process.send?.({ ready: true, avgBytes: pool.reduce((n, m) => n + m.data.byteLength, 0) / pool.length });
process.once("message", async () => {
  const t0 = performance.now();
  for (let i = first; i < first + count; i++) {
    const m = pool[i % pool.length]!;
    // A unique Nats-Msg-Id per message, as the runner sends: a repeated one would be deduplicated by the stream.
    const h = headers();
    h.set("Content-Type", "application/json");
    h.set("Nats-Msg-Id", `${m.msgId}-${i}`);
    nc.publish(m.subject, m.data, { headers: h });
    // Bound the client's outbound buffer without a round trip per message.
    if ((i - first) % 5_000 === 4_999) await nc.flush();
  }
  await nc.flush();
  process.send?.({ done: true, ms: performance.now() - t0 });
  await nc.close();
});
