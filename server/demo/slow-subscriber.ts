/**
 * The demo's deliberately slow core subscriber: a raw client connection that subscribes and never reads its
 * socket, then a burst on its subject, so the server cuts it off as a Slow Consumer (the Bus › Connections page
 * lists it by name). A raw socket because a NATS client always reads. The burst goes out on a connection of its
 * own: the server stalls a publisher feeding a slow consumer, and busdeck's connection must never be that one.
 * Both join as the server's default user (the embedded server's no_auth_user).
 */
import { connect as tcpConnect, type Socket } from "node:net";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { describeError } from "../../lib/errors";
import type { Lifecycle } from "./lifecycle";

export const SLOW_SUBSCRIBER_NAME = "demo-slow-subscriber";
export const SLOW_SUBSCRIBER_SUBJECT = "demo.slow.firehose";

export interface SlowSubscriberOptions {
  /** Bytes published per burst: more than the server's max_pending plus the kernel's socket buffers. */
  burstBytes: number;
  /** Pause between one cut-off and the next subscriber. */
  everyMs: number;
}

/** The embedded server's max_pending with the demo on: low enough that a burst cuts the slow subscriber off. */
export const DEMO_MAX_PENDING_BYTES = 8 * 1024 * 1024;

/**
 * 24 MB of 64 KB messages: the socket buffers fill, then the server cuts the subscriber off for pending bytes
 * past max_pending or, with a write blocked past its write deadline (10 s), for that.
 */
export const DEFAULT_SLOW_SUBSCRIBER: SlowSubscriberOptions = { burstBytes: 24 * 1024 * 1024, everyMs: 600_000 };

const MESSAGE_BYTES = 64 * 1024;

/** Opens a connection named `name` subscribed to `subject` that never reads; resolves once the server has the SUB. */
export async function openNonReadingSubscriber(hostPort: string, subject: string, name = SLOW_SUBSCRIBER_NAME): Promise<Socket> {
  const [host, port] = splitHostPort(hostPort);
  const socket = tcpConnect({ host, port });
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    // The server's INFO arrives first; after it, CONNECT + SUB + PING, and the PONG says the SUB is in.
    let seen = "";
    let sent = false;
    const onData = (chunk: Buffer) => {
      seen += chunk.toString("latin1");
      if (!sent && seen.startsWith("INFO")) {
        const connect = { name, lang: "raw", version: "1", verbose: false, pedantic: false, protocol: 1 };
        socket.write(`CONNECT ${JSON.stringify(connect)}\r\nSUB ${subject} 1\r\nPING\r\n`);
        sent = true;
      }
      const err = seen.indexOf("-ERR");
      if (seen.includes("PONG")) {
        socket.off("data", onData);
        socket.off("error", reject);
        socket.pause();
        resolve();
      } else if (err >= 0) reject(new Error(seen.slice(err, err + 200).trim()));
    };
    socket.on("data", onData);
  });
  socket.on("error", () => {});
  return socket;
}

/** Publishes `bytes` on `subject` in 64 KB messages and flushes. */
export async function burst(nc: NatsConnection, subject: string, bytes: number): Promise<void> {
  const payload = new Uint8Array(MESSAGE_BYTES);
  for (let sent = 0; sent < bytes; sent += MESSAGE_BYTES) nc.publish(subject, payload);
  await nc.flush();
}

/** Every `everyMs`: a fresh non-reading subscriber, a burst from a publisher of its own, and the server's cut-off. */
export function startSlowSubscriber(hostPort: string, lc: Lifecycle, opts: SlowSubscriberOptions = DEFAULT_SLOW_SUBSCRIBER): void {
  lc.spawn("slow-subscriber", async () => {
    const publisher = await connect({ servers: hostPort, name: "demo-slow-publisher", maxReconnectAttempts: -1 });
    lc.onStop(() => publisher.close());
    while (!lc.stopped) {
      let socket: Socket | null = null;
      try {
        socket = await openNonReadingSubscriber(hostPort, SLOW_SUBSCRIBER_SUBJECT);
        await lc.unlessStopped(burst(publisher, SLOW_SUBSCRIBER_SUBJECT, opts.burstBytes));
      } catch (err) {
        lc.warn("slow-subscriber", `slow subscriber: ${describeError(err)}`, 600_000);
      }
      const ok = await lc.sleep(opts.everyMs);
      socket?.destroy();
      if (!ok) return;
    }
  });
}

function splitHostPort(hostPort: string): [string, number] {
  const at = hostPort.lastIndexOf(":");
  return [hostPort.slice(0, at).replace(/^\[|\]$/g, ""), Number(hostPort.slice(at + 1))];
}
