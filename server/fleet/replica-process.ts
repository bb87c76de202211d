/**
 * For the fleet integration test and bench: headless busdeck replicas as child processes
 * (scripts/fleet-replica.ts), and a server-side count of JetStream API requests per replica.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { NatsConnection } from "@nats-io/nats-core";
import { replicaInbox } from "../config";
import type { FleetStatus } from "./fleet";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ReplicaProcess {
  holderId: string;
  port: number;
  proc: ChildProcess;
  status(): Promise<FleetStatus | null>;
  /** SIGKILL: a crash, the lock is left to expire. */
  kill(): Promise<void>;
  /** SIGTERM: a clean stop, the lock is released. */
  stop(): Promise<void>;
}

export async function startReplica(holderId: string, env: Record<string, string>, readyTimeoutMs = 30_000): Promise<ReplicaProcess> {
  const proc = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/fleet-replica.ts"], {
    cwd: ROOT,
    env: { ...process.env, BUSDECK_DEMO: "0", ...env, BUSDECK_FLEET_ID: holderId },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica ${holderId} not ready in ${readyTimeoutMs} ms:\n${output}`)), readyTimeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /^ready (\d+)$/m.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stdout!.on("data", onData);
    proc.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`replica ${holderId} exited (${code}):\n${output}`));
    });
  });
  const exited = new Promise<void>((r) => (proc.exitCode !== null ? r() : proc.once("exit", () => r())));
  const signal = async (sig: NodeJS.Signals) => {
    if (proc.exitCode === null) proc.kill(sig);
    await exited;
  };
  return {
    holderId,
    port,
    proc,
    status: async () => (await fetch(`http://127.0.0.1:${port}/fleet`)).json() as Promise<FleetStatus | null>,
    kill: () => signal("SIGKILL"),
    stop: () => signal("SIGTERM"),
  };
}

/** The JetStream API requests that sampling makes: list calls, and the tracker's exact message lookups. */
export const SAMPLING_API = /^\$JS\.API\.(STREAM\.LIST|STREAM\.NAMES|CONSUMER\.LIST\.|CONSUMER\.NAMES\.|STREAM\.MSG\.GET\.)/;

export interface ApiAudit {
  /** requests per replica inbox prefix (`_INBOX.<token>`), by API subject */
  byInbox: Map<string, Map<string, number>>;
  count(holderId: string, subject?: RegExp): number;
  total(subject?: RegExp): number;
  reset(): void;
  stop(): void;
}

/**
 * Counts JetStream API requests per replica as the server routes them: a subscriber on `$JS.API.>` gets a
 * copy of every request, and its reply subject carries the requester's inbox prefix (busdeck's is
 * `_INBOX_busdeck.<holder id>`, see server/config.ts replicaInbox). Attribution by what crossed the wire, not the replicas'
 * own say-so. (nats-server 2.9's API audit advisory does not name the client, so it cannot attribute.)
 */
export function auditApiRequests(nc: NatsConnection): ApiAudit {
  const byInbox = new Map<string, Map<string, number>>();
  const sub = nc.subscribe("$JS.API.>", {
    callback: (err, msg) => {
      if (err) return;
      const inbox = msg.reply?.split(".").slice(0, 2).join(".") ?? "(no reply)";
      let m = byInbox.get(inbox);
      if (!m) byInbox.set(inbox, (m = new Map()));
      m.set(msg.subject, (m.get(msg.subject) ?? 0) + 1);
    },
  });
  const sum = (m: Map<string, number> | undefined, subject?: RegExp) =>
    [...(m ?? [])].reduce((n, [s, c]) => n + (!subject || subject.test(s) ? c : 0), 0);
  return {
    byInbox,
    count: (holderId, subject) => sum(byInbox.get(replicaInbox(holderId)), subject),
    total: (subject) => [...byInbox.values()].reduce((n, m) => n + sum(m, subject), 0),
    reset: () => byInbox.clear(),
    stop: () => sub.unsubscribe(),
  };
}
