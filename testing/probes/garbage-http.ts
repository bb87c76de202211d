import { createServer } from "node:http";
import { freePort } from "../../server/nats-server-process";

/** An HTTP server on a free local port that answers every request with HTML, not JSON: a monitoring URL gone wrong. */
export async function startGarbageHttp(): Promise<{ url: string; close: () => void }> {
  const server = createServer((_req, res) => res.end("<html>not a nats-server</html>"));
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}
