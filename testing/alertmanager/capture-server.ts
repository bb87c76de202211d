/**
 * An HTTP server on a free port that records every JSON body POSTed to it, by path: stands in for a webhook or
 * Slack endpoint, and receives Alertmanager's own notifications in the alert tests.
 */
import { createServer } from "node:http";
import { freePort } from "../../server/nats-server-process";

export interface CapturedPost {
  path: string;
  body: unknown;
  at: number;
}

export interface CaptureServer {
  url: string;
  posts: CapturedPost[];
  /** The bodies POSTed to `path`, oldest first. */
  bodies<T>(path: string): T[];
  stop(): Promise<void>;
}

export async function startCaptureServer(): Promise<CaptureServer> {
  const posts: CapturedPost[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString();
      try {
        posts.push({ path: req.url ?? "/", body: JSON.parse(text), at: Date.now() });
        res.writeHead(200).end("ok");
      } catch {
        res.writeHead(400).end("not JSON");
      }
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    bodies: <T>(path: string) => posts.filter((p) => p.path === path).map((p) => p.body as T),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
