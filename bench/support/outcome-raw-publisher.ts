/**
 * Publishes N reflex outcomes as pre-encoded HPUB frames written straight to a TCP socket: the same bytes the
 * official client sends (the runner's headers, a unique Nats-Msg-Id each), for a fraction of its CPU: on a machine
 * that also runs nats-server and the subscriber being measured, the client-based publisher (outcome-publisher.ts)
 * takes CPU from what is measured (bench/RESULTS.md, bench:outcomes); a production publisher runs elsewhere.
 * Same parent protocol as outcome-publisher.ts:
 *
 *   node --import tsx bench/support/outcome-raw-publisher.ts <url> <count> [first index]
 */
import { connect, type Socket } from "node:net";
import { framesFor, protocolCycle } from "./outcome-protocol";

const [url, countArg, firstArg] = process.argv.slice(2);
const count = Number(countArg);
const first = Number(firstArg ?? 0);
/** Messages per socket write: about 64 KiB. */
const BATCH = 64;

const cycle = protocolCycle("HPUB");
const { hostname, port } = new URL(url!.replace(/^nats:/, "http:"));
const socket = connect({ host: hostname, port: Number(port) });
socket.setNoDelay(true);

/** Resolvers waiting for the server's next PONG, in order. */
const pongs: (() => void)[] = [];
let received = "";
socket.on("data", (chunk: Buffer) => {
  received += chunk.toString("latin1");
  let eol: number;
  while ((eol = received.indexOf("\r\n")) >= 0) {
    const line = received.slice(0, eol);
    received = received.slice(eol + 2);
    if (line === "PING") socket.write("PONG\r\n");
    else if (line === "PONG") pongs.shift()?.();
    else if (line.startsWith("-ERR")) {
      console.error(`raw publisher: ${line}`);
      process.exit(1);
    }
  }
});
socket.on("error", (err) => {
  console.error(`raw publisher: ${err.message}`);
  process.exit(1);
});

/** A PING answered: everything written before it has been read by the server. */
const roundTrip = (s: Socket) =>
  new Promise<void>((resolve) => {
    pongs.push(resolve);
    s.write("PING\r\n");
  });

await new Promise<void>((resolve) => socket.once("connect", resolve));
socket.write(
  `CONNECT ${JSON.stringify({ verbose: false, pedantic: false, headers: true, no_responders: false, lang: "raw", version: "0" })}\r\n`,
);
await roundTrip(socket);
process.send?.({ ready: true, avgBytes: cycle.avgPayloadBytes });
process.once("message", async () => {
  const t0 = performance.now();
  for (let i = first; i < first + count; i += BATCH) {
    if (!socket.write(framesFor(cycle, i, Math.min(first + count, i + BATCH)))) {
      await new Promise((resolve) => socket.once("drain", resolve));
    }
  }
  await roundTrip(socket);
  process.send?.({ done: true, ms: performance.now() - t0 });
  socket.end();
});
