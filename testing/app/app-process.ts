/** Starts an extra busdeck server (same build as the main e2e server) against a NATS of the test's choosing. */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "../../server/nats-server-process";

export interface AppHandle {
  baseUrl: string;
  /** pid of the server process (node itself: serve.sh execs it). */
  pid: number;
  stop(): Promise<void>;
  /** SIGKILL, as a crash would: no clean shutdown. */
  kill(): Promise<void>;
  output(): string;
}

/** The launcher that runs node with the server's flags (npm start, npm run up and the image use it too). */
export const SERVE_SCRIPT = fileURLToPath(new URL("../../scripts/serve.sh", import.meta.url));

/**
 * `command` gives node's arguments instead of `next start` (e.g. a standalone server.js, which takes PORT/HOSTNAME
 * from the environment); either way node runs under SERVE_SCRIPT, with the server's flags.
 */
export async function startApp(
  env: Record<string, string>,
  opts: {
    command?: (port: number) => { args: string[]; cwd?: string; env?: Record<string, string> };
    /** A fixed port, e.g. to restart a killed server where it was; default: a free one. */
    port?: number;
  } = {},
): Promise<AppHandle> {
  const port = opts.port ?? (await freePort());
  let output = "";
  const command = opts.command?.(port) ?? {
    args: ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"],
  };
  const child: ChildProcess = spawn("sh", [SERVE_SCRIPT, ...command.args], {
    cwd: command.cwd,
    env: { ...process.env, BUSDECK_DIST_DIR: process.env.BUSDECK_DIST_DIR ?? ".next-e2e", ...env, ...command.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (output = (output + d).slice(-200_000)));
  child.stderr!.on("data", (d) => (output = (output + d).slice(-200_000)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (isGone(child)) throw new Error(`busdeck exited with ${child.exitCode ?? child.signalCode}:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`busdeck did not start within 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseUrl,
    pid: child.pid!,
    output: () => output,
    async kill() {
      if (isGone(child)) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (isGone(child)) return;
      const exited = new Promise<NodeJS.Signals | null>((r) => child.once("exit", (_code, signal) => r(signal)));
      child.kill("SIGTERM");
      // A clean shutdown takes well under a second; past 10 s treat it as hung and fail loudly after cleanup.
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      const signal = await exited;
      clearTimeout(timer);
      if (signal === "SIGKILL") throw new Error(`busdeck did not exit within 10 s of SIGTERM:\n${output.slice(-2000)}`);
    },
  };
}

/** Gone already: exited with a code, or killed by a signal (then `exitCode` stays null and "exit" never comes again). */
const isGone = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;
