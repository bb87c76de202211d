/**
 * One headless busdeck replica: the real runtime (createRuntime with this process's environment: election,
 * sampler, fan-out, watchers) and its hub served over SSE, without Next. The fleet integration test and
 * bench start several of these against one nats-server, as several pods would run:
 *
 *   NATS_URL=nats://127.0.0.1:4222 node --conditions=react-server --import tsx scripts/fleet-replica.ts
 *
 * Prints `ready <port>` once listening (REPLICA_PORT, default a free port). Endpoints:
 *   GET /events?topics=consumers,streams   the hub's SSE stream, as /api/events serves it
 *   GET /fleet                             this replica's election state and sample counts (JSON)
 *   GET /consumer-history?stream=&name=    the consumer's in-memory chart series (last 15 minutes)
 *   GET /metrics                           this replica's Prometheus figures
 *   GET /persisted-history?stream=&name=&from=&to=   the consumer's persisted points read by this replica (ms)
 */
import http from "node:http";
import { Readable } from "node:stream";
import { ALL_TOPICS, type Topic } from "../lib/wire/topics";
import { createRuntime } from "../server/runtime";
import { createSseStream } from "../server/sse";

const rt = await createRuntime(process.env);
await rt.nc;

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://replica");
  if (url.pathname === "/fleet") {
    res.writeHead(200, { "Content-Type": "application/json" });
    return res.end(JSON.stringify(rt.fleet()?.status() ?? null));
  }
  if (url.pathname === "/metrics") {
    void rt.metrics.registry.metrics().then((text) => res.writeHead(200, { "Content-Type": "text/plain" }).end(text));
    return;
  }
  if (url.pathname === "/consumer-history") {
    const q = (k: string) => url.searchParams.get(k) ?? "";
    res.writeHead(200, { "Content-Type": "application/json" });
    return res.end(JSON.stringify(rt.consumerTracker.history(q("stream"), q("name"), "15m", Date.now()) ?? null));
  }
  if (url.pathname === "/persisted-history") {
    const q = (k: string) => url.searchParams.get(k) ?? "";
    rt.history()
      .then((store) => store.readConsumer(q("stream"), q("name"), Number(q("from")), Number(q("to"))))
      .then(
        (range) => res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(range)),
        (err) => res.writeHead(503).end(String(err)),
      );
    return;
  }
  if (url.pathname === "/events") {
    const topics = (url.searchParams.get("topics") ?? "")
      .split(",")
      .filter((t): t is Topic => (ALL_TOPICS as readonly string[]).includes(t));
    const abort = new AbortController();
    req.on("close", () => abort.abort());
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache, no-transform" });
    return Readable.fromWeb(createSseStream(rt.hub, topics, undefined, abort.signal) as import("node:stream/web").ReadableStream).pipe(res);
  }
  res.writeHead(404).end();
});
server.listen(Number(process.env.REPLICA_PORT ?? 0), "127.0.0.1", () => {
  console.log(`ready ${(server.address() as { port: number }).port}`);
});

const shutdown = async () => {
  server.close();
  await rt.stop();
  process.exit(0);
};
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
