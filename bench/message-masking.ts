/**
 * /api/health while an adversarial ~8 MB JSON message is read back to back, through busdeck's real runtime and
 * route handlers (served by node:http in this process): one client process reads the message's detail page
 * (GET /api/streams/S/messages/1) back to back, another asks /api/health every 10 ms. Each client runs in its
 * own process, so its clock keeps going while this event loop is busy. Run twice: masking on the runtime's
 * thread pool (server/streams/payload-masker.ts), then the same code on the request thread.
 *
 *   npm run bench:message-masking -- [--seconds 20]
 */
import { fork } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { loadavg } from "node:os";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { GET as healthGet } from "../app/api/health/route";
import { GET as messageGet } from "../app/api/streams/[name]/messages/[seq]/route";
import { startNatsServer } from "../server/nats-server-process";
import { serverRedaction } from "../server/redaction";
import { createRuntime, installRuntime } from "../server/runtime";
import { inlineMasker } from "../server/streams/payload-masker";
import { secretJson } from "../testing/fixtures/adversarial-json";

const i = process.argv.indexOf("--seconds");
const DURATION_MS = (i > 0 ? Number(process.argv[i + 1]) : 20) * 1000;
const STREAM = "ADVERSARIAL";

type Figures = { p50: number; worst: number };

/** Node's request to the route handler's Request, its Response back. */
async function serve(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const request = new Request(url);
  const seq = /^\/api\/streams\/[^/]+\/messages\/(\d+)$/.exec(url.pathname)?.[1];
  const response = seq ? await messageGet(request, { params: Promise.resolve({ name: STREAM, seq }) }) : await healthGet(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  // Streamed chunk by chunk, as Next sends a route's body: no copy of the whole body on this thread.
  const reader = response.body?.getReader();
  for (let r = await reader?.read(); r && !r.done; r = await reader!.read()) res.write(r.value);
  res.end();
}

const child = <T>(script: string, args: string[]) => {
  const p = fork(new URL(script, import.meta.url).pathname, args);
  return new Promise<T>((resolve) => p.on("message", (m) => resolve(m as T)));
};

const nats = await startNatsServer({ extraConfig: "max_payload: 16MB" });
const rt = await createRuntime({ NATS_URL: nats.url });
installRuntime(rt);
const nc = await connect({ servers: nats.url });
const jsm = await jetstreamManager(nc);
await jsm.streams.add({ name: STREAM, subjects: ["adversarial.>"] });
const payload = secretJson(9.2 * 1024 * 1024);
await jetstream(nc).publish("adversarial.json", payload);
await rt.nc;

const server = createServer((req, res) => void serve(req, res).catch((err) => ((res.statusCode = 500), res.end(String(err)))));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = String((server.address() as { port: number }).port);

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(" ");
console.log(`load average ${load()} (figures inflate with it: this machine's 2 cores are shared)`);
console.log(
  `/api/health every 10 ms while GET /api/streams/${STREAM}/messages/1 (${(payload.length / 1e6).toFixed(1)} MB JSON, secrets in string values) is read back to back, ${DURATION_MS / 1000} s each`,
);
console.log("| masking | detail reads | read p50 ms | read worst ms | health answers | health p50 ms | health worst ms |");
console.log("|---|---|---|---|---|---|---|");
for (const mode of ["thread pool", "request thread"] as const) {
  if (mode === "request thread") rt.payloadMasker = inlineMasker(serverRedaction());
  await fetch(`http://127.0.0.1:${port}/api/streams/${STREAM}/messages/1`).then((r) => r.arrayBuffer()); // starts the pool
  const [reads, health] = await Promise.all([
    child<Figures & { reads: number; failed: number }>("./support/page-reader.mjs", [
      port,
      `/api/streams/${STREAM}/messages/1`,
      String(DURATION_MS),
    ]),
    child<Figures & { probes: number }>("../testing/probes/health-probe.mjs", [port, String(DURATION_MS)]),
  ]);
  const f = (x: number) => x.toFixed(1);
  console.log(
    `| ${mode} | ${reads.reads}${reads.failed ? ` (${reads.failed} failed)` : ""} | ${f(reads.p50)} | ${f(reads.worst)} | ${health.probes} | ${f(health.p50)} | ${f(health.worst)} |`,
  );
}
console.log(`load average at the end ${load()}`);
server.close();
await nc.close();
await rt.stop();
await nats.stop();
process.exit(0);
