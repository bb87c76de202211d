/** Many SSE clients in one process: most only drain bytes, a sample parses frames to measure latency. */
import http from "node:http";

export interface LatencyProbe {
  /** Called for each data payload of a sampling client, with the receive time. */
  onData(data: string, receivedAt: number): void;
}

export interface ClientPool {
  connected(): number;
  bytes(): number;
  close(): void;
}

export async function openClients(url: string, count: number, sampleEvery: number, probe: LatencyProbe): Promise<ClientPool> {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const requests: http.ClientRequest[] = [];
  let connected = 0;
  let bytes = 0;
  const opened = [];
  for (let i = 0; i < count; i++) {
    const sampling = i % sampleEvery === 0;
    opened.push(
      new Promise<void>((resolve, reject) => {
        const req = http.get(url, { agent, headers: { Accept: "text/event-stream" } }, (res) => {
          if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
          connected++;
          resolve();
          if (!sampling) {
            // Bytes only: decoding frames nobody parses would take CPU the measured server competes for.
            res.on("data", (chunk: Buffer) => (bytes += chunk.length));
            res.on("close", () => connected--);
            return;
          }
          let buffer = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            bytes += Buffer.byteLength(chunk);
            const now = Date.now();
            buffer += chunk;
            let idx;
            while ((idx = buffer.indexOf("\n\n")) >= 0) {
              const frame = buffer.slice(0, idx);
              buffer = buffer.slice(idx + 2);
              for (const line of frame.split("\n")) if (line.startsWith("data: ")) probe.onData(line.slice(6), now);
            }
          });
          res.on("close", () => connected--);
        });
        req.on("error", reject);
        requests.push(req);
      }),
    );
    // Open in small bursts so the accept queue never overflows.
    if (i % 50 === 49) await Promise.all(opened.slice(-50));
  }
  await Promise.all(opened);
  return {
    connected: () => connected,
    bytes: () => bytes,
    close: () => {
      requests.forEach((r) => r.destroy());
      agent.destroy();
    },
  };
}
