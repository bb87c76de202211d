/**
 * Starts Debian's `prometheus-alertmanager` on a free port as a test fixture: a temp config and storage dir, its
 * gossip port off, ready once `/-/ready` answers; stop() kills it and removes the dir.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../server/nats-server-process";

const BINARIES = ["/usr/bin/prometheus-alertmanager", "/usr/local/bin/alertmanager"];
/** One receiver that sends nowhere: the tests read what it holds through its API. */
const MINIMAL_CONFIG = "route:\n  receiver: default\nreceivers:\n  - name: default\n";

export interface AlertmanagerHandle {
  url: string;
  stop(): Promise<void>;
}

/** An alert as `GET /api/v2/alerts` lists it (the fields the tests read). */
export interface ListedAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: string };
}

export function resolveAlertmanagerBinary(env: Record<string, string | undefined> = process.env): string {
  const found = [env.ALERTMANAGER_BIN, ...BINARIES].find((p) => p && existsSync(p));
  if (!found) throw new Error("alertmanager not found: install Debian's prometheus-alertmanager (npm run setup:test)");
  return found;
}

export async function startAlertmanager(opts: { config?: string; readyTimeoutMs?: number } = {}): Promise<AlertmanagerHandle> {
  const bin = resolveAlertmanagerBinary();
  const dir = mkdtempSync(join(tmpdir(), "busdeck-am-"));
  const configPath = join(dir, "alertmanager.yml");
  writeFileSync(configPath, opts.config ?? MINIMAL_CONFIG);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const child: ChildProcess = spawn(
    bin,
    [
      `--config.file=${configPath}`,
      `--storage.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout!.on("data", (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
  child.stderr!.on("data", (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, opts.readyTimeoutMs ?? 15_000, child);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}. Output:\n${output}`, { cause: err });
  }
  return { url, stop };
}

/** What Alertmanager holds now (active, silenced and inhibited alerts; resolved ones drop out of this list). */
export async function listAlerts(url: string): Promise<ListedAlert[]> {
  const res = await fetch(`${url}/api/v2/alerts`);
  if (!res.ok) throw new Error(`GET /api/v2/alerts: HTTP ${res.status}`);
  return (await res.json()) as ListedAlert[];
}

async function waitReady(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`alertmanager exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`alertmanager did not become ready within ${timeoutMs} ms`);
}
