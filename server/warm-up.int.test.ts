/**
 * The start-up warm-up against a real HTTP server on a free port: every page asked for once, in order, with the
 * gate's headers, the whole body read; a failing page or a server that is gone is logged, never thrown.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warmUpPages } from "./warm-up";

describe("page warm-up (integration)", () => {
  let server: Server;
  let origin: string;
  const seen: { path: string; headers: IncomingHttpHeaders }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ path: req.url!, headers: req.headers });
      if (req.url === "/broken") {
        res.writeHead(500).end("no");
        return;
      }
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>" + "x".repeat(200_000) + "</html>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("page warm-up - asks for each page once, in order, through the gate, and counts the pages that rendered", async () => {
    const logged: string[] = [];
    const ok = await warmUpPages(origin, { authorization: "Bearer t0k" }, ["/", "/broken", "/consumers"], (m) => logged.push(m));
    expect(ok).toBe(2);
    expect(seen.map((r) => r.path)).toEqual(["/", "/broken", "/consumers"]);
    expect(seen.every((r) => r.headers.authorization === "Bearer t0k")).toBe(true);
    expect(logged).toEqual(["warm-up: /broken answered 500"]);
  });

  it("page warm-up - a server that does not answer is logged, not thrown", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const logged: string[] = [];
    expect(await warmUpPages(`http://127.0.0.1:${port}`, {}, ["/streams"], (m) => logged.push(m))).toBe(0);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^warm-up: \/streams: /);
  });
});
