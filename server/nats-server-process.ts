/**
 * Starts and stops a local `nats-server` child process with JetStream.
 * Used by the embedded default, the integration tests and the e2e tests: one launcher, one behaviour.
 * Deliberately free of `server-only` so plain Node scripts (tests, benches) can import it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { NatsServerMissingError } from "./errors";
import { logger } from "./log";

/** Moved to server/errors.ts; re-exported for the modules that import it from here. */
export { NatsServerMissingError };

export interface NatsServerOptions {
  /** Also open a websocket listener (for ws:// clients). */
  websocket?: boolean;
  /** Reuse a store dir (e.g. to restart on the same data); default: a fresh temp dir removed on stop. */
  storeDir?: string;
  /** Fixed ports, used to restart a killed server where clients expect it. */
  ports?: { client: number; monitor: number; websocket?: number };
  /** Extra lines appended to the generated config file (accounts, cluster blocks). */
  extraConfig?: string;
  readyTimeoutMs?: number;
  /**
   * A system account (SYS, user `sys`) beside the app's JetStream account, which unauthenticated clients join
   * (no_auth_user). Default: on, unless extraConfig declares its own accounts or users.
   */
  systemAccount?: boolean;
  /** The sys user's password: a cluster's nodes share one; default: random. */
  systemPassword?: string;
  /** Bytes the server buffers for a client that does not read before cutting it off as a slow consumer (default 64 MB). */
  maxPendingBytes?: number;
}

/** The system account's user, for `$SYS.REQ.SERVER.PING.*` requests. */
export interface SystemUser {
  user: string;
  password: string;
}

export interface NatsServerHandle {
  url: string;
  monitorUrl: string;
  wsUrl?: string;
  ports: { client: number; monitor: number; websocket?: number };
  storeDir: string;
  /** The system account's user, when the server has one (NatsServerOptions.systemAccount). */
  system?: SystemUser;
  /** pid of nats-server itself, for fault injection. */
  pid(): number | undefined;
  /** SIGKILL the server without cleanup, as a crash would. */
  crash(): Promise<void>;
  /** Start again on the same ports and store after crash(). */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Synchronous last-resort cleanup for a process 'exit' handler: SIGKILL the server, then remove the store.
   * Never throws — an exception in an 'exit' listener aborts process.exit() and leaves the process running.
   */
  killAndRemoveStoreSync(): void;
}

/** Debian installs nats-server in /usr/sbin, which a non-root PATH often lacks. */
const SBIN_DIRS = ["/usr/sbin", "/usr/local/sbin", "/sbin"];

export function resolveNatsServerBinary(env: Record<string, string | undefined> = process.env, fallbackDirs = SBIN_DIRS): string {
  const explicit = env.NATS_SERVER_BIN;
  if (explicit && existsSync(explicit)) return explicit;
  const dirs = (env.PATH ?? "").split(delimiter).concat(fallbackDirs);
  for (const dir of dirs) {
    const candidate = join(dir, "nats-server");
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new NatsServerMissingError();
}

/**
 * Ports this process has handed out. A port is free only until its user binds it, and the OS hands the same
 * ephemeral port out again once it was closed: a cluster's route ports, picked before its nodes start, came back
 * as a node's client port (CI failed with "router port … address already in use").
 */
const handedOut = new Set<number>();

/** A free TCP port on 127.0.0.1 that this process has not handed out before. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await ephemeralPort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error("no free port that was not handed out already after 100 tries");
}

function ephemeralPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/*
 * nats-server runs under a tiny shell guardian that holds our stdin pipe: when this Node process dies for
 * any reason, SIGKILL included, the pipe closes, `read` returns and the guardian kills nats-server.
 * That is what makes "no orphan process" true even for crashes, which exit handlers alone cannot promise.
 */
const GUARDIAN = `"$0" "$@" </dev/null & pid=$!
echo "pid $pid"
trap 'kill $pid 2>/dev/null; wait $pid; exit 0' TERM INT
while read -r _line; do :; done
kill $pid 2>/dev/null
wait $pid`;

export async function startNatsServer(opts: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const bin = resolveNatsServerBinary();
  const ownsStore = !opts.storeDir;
  const storeDir = opts.storeDir ?? mkdtempSync(join(tmpdir(), "busdeck-nats-"));
  const ports = opts.ports ?? {
    client: await freePort(),
    monitor: await freePort(),
    websocket: opts.websocket ? await freePort() : undefined,
  };
  const confPath = join(storeDir, "busdeck-nats.conf");
  const system = wantsSystemAccount(opts) ? { user: "sys", password: opts.systemPassword ?? randomSecret() } : undefined;
  const accounts = system ? renderAccounts(system) : "";
  const limits = opts.maxPendingBytes ? `max_pending: ${Math.round(opts.maxPendingBytes)}` : "";
  writeFileSync(confPath, renderConfig(ports, storeDir, `${accounts}\n${limits}\n${opts.extraConfig ?? ""}`));

  let child: ChildProcess | undefined;
  let natsPid: number | undefined;
  let lastOutput = "";

  const launch = async () => {
    natsPid = undefined;
    child = spawn("sh", ["-c", GUARDIAN, bin, "-c", confPath], { stdio: ["pipe", "pipe", "pipe"] });
    child.stdout!.on("data", (chunk: Buffer) => {
      const m = /pid (\d+)/.exec(chunk.toString());
      if (m) natsPid = Number(m[1]);
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      lastOutput = (lastOutput + chunk.toString()).slice(-4000);
    });
    await waitReady(`http://127.0.0.1:${ports.monitor}`, opts.readyTimeoutMs ?? 15_000, () => lastOutput);
  };

  const stopChild = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once("exit", () => resolve()));
    c.stdin!.end();
    const timer = setTimeout(() => natsPid && safeKill(natsPid, "SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  return {
    url: `nats://127.0.0.1:${ports.client}`,
    monitorUrl: `http://127.0.0.1:${ports.monitor}`,
    wsUrl: ports.websocket ? `ws://127.0.0.1:${ports.websocket}` : undefined,
    ports,
    storeDir,
    system,
    pid: () => natsPid,
    async crash() {
      if (natsPid) safeKill(natsPid, "SIGKILL");
      await stopChild();
    },
    restart: launch,
    killAndRemoveStoreSync() {
      if (natsPid) safeKill(natsPid, "SIGKILL");
      removeDirSync(storeDir);
    },
    async stop() {
      await stopChild();
      if (ownsStore) removeDirSync(storeDir);
    },
  };
}

function renderConfig(ports: NatsServerHandle["ports"], storeDir: string, extra = ""): string {
  const lines = [
    `listen: "127.0.0.1:${ports.client}"`,
    `http: "127.0.0.1:${ports.monitor}"`,
    `server_name: "busdeck-${ports.client}"`,
    `jetstream { store_dir: ${JSON.stringify(join(/*turbopackIgnore: true*/ storeDir, "js"))} }`,
  ];
  if (ports.websocket) lines.push(`websocket { listen: "127.0.0.1:${ports.websocket}", no_tls: true }`);
  return lines.join("\n") + "\n" + extra + "\n";
}

/** A config that declares its own accounts or users gets no generated ones: the two would clash. */
const DECLARES_AUTH = /^\s*(accounts|authorization|no_auth_user|system_account)\b/m;

function wantsSystemAccount(opts: NatsServerOptions): boolean {
  return opts.systemAccount ?? !DECLARES_AUTH.test(opts.extraConfig ?? "");
}

export const randomSecret = () => randomBytes(18).toString("base64url");

/**
 * SYS for server requests, APP for everything else. With accounts declared, JetStream needs an account with
 * `jetstream: enabled`; `no_auth_user` puts clients without credentials there, as the global account did.
 */
function renderAccounts(system: SystemUser): string {
  return [
    "accounts {",
    `  SYS { users: [{ user: ${JSON.stringify(system.user)}, password: ${JSON.stringify(system.password)} }] }`,
    `  APP { jetstream: enabled, users: [{ user: "app", password: ${JSON.stringify(randomSecret())} }] }`,
    "}",
    "system_account: SYS",
    "no_auth_user: app",
  ].join("\n");
}

async function waitReady(monitorUrl: string, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${monitorUrl}/healthz?js-enabled-only=true`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nats-server did not become ready within ${timeoutMs} ms. Output:\n${output()}`);
}

/**
 * A killed nats-server can still be flushing into its store for a moment; rmSync then fails with ENOTEMPTY.
 * Retry briefly, and leave a stray temp dir rather than throw (CI once hung on exactly that throw).
 */
function removeDirSync(dir: string) {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  } catch (err) {
    logger.warn(`could not remove ${dir}: ${(err as Error).message}`);
  }
}

function safeKill(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
