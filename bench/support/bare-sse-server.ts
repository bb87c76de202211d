/**
 * The floor for the hub benchmark: a bare Node http SSE writer. It subscribes to the same subject and writes
 * each batch of messages to every client as soon as it arrives (one write per client per event-loop turn),
 * with no coalescing interval, no cursors, no backpressure handling.
 */
import http from "node:http";
import { connect } from "@nats-io/transport-node";

const [natsUrl, portArg, subject] = process.argv.slice(2);
const clients = new Set<http.ServerResponse>();
const nc = await connect({ servers: natsUrl! });
let pending: string[] = [];
let scheduled = false;
const flush = () => {
  scheduled = false;
  const frame = `data: ${JSON.stringify({ type: "feed_append", topic: "outcomes", items: pending })}\n\n`;
  pending = [];
  for (const res of clients) res.write(frame);
};
nc.subscribe(subject!, {
  callback: (_err, msg) => {
    pending.push(msg.json());
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  },
});
http
  .createServer((req, res) => {
    if (req.url?.startsWith("/api/health")) return res.end("ok");
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
    res.write(": connected\n\n"); // headers only leave with the first write
    clients.add(res);
    req.on("close", () => clients.delete(res));
  })
  .listen(Number(portArg), "127.0.0.1", () => console.log("bare sse ready"));
