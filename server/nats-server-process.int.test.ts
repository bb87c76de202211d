import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NatsServerMissingError, resolveNatsServerBinary, startNatsServer } from "./nats-server-process";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("nats-server launcher", () => {
  it("nats-server launcher - starts JetStream on free ports and removes its temp store on stop", async () => {
    const s = await startNatsServer();
    const jsz = await (await fetch(`${s.monitorUrl}/jsz`)).json();
    expect(jsz.config?.store_dir ?? jsz.store_dir ?? "").toContain(s.storeDir);
    const pid = s.pid()!;
    expect(alive(pid)).toBe(true);
    await s.stop();
    expect(alive(pid)).toBe(false);
    expect(existsSync(s.storeDir)).toBe(false);
  });

  it("nats-server launcher - a SIGKILLed parent leaves no orphan nats-server", async () => {
    // A child Node process starts nats-server, prints its pid, and is then killed without any cleanup.
    const script = `
      import("${new URL("./nats-server-process.ts", import.meta.url).pathname}").then(async (m) => {
        const s = await m.startNatsServer();
        console.log("PID " + s.pid());
        setInterval(() => {}, 1000);
      });`;
    const child = spawn(process.execPath, ["--import", "tsx", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    const pid = await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
        const m = /PID (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.stderr.on("data", (d) => (out += d));
      child.on("exit", () => reject(new Error(`child exited early: ${out}`)));
    });
    expect(alive(pid)).toBe(true);
    child.kill("SIGKILL");
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
  });

  it("nats-server launcher - an exit handler kills the server and removes its store without hanging the exit", async () => {
    // Like Next: process.exit() called from async code with an unhandledRejection logger installed. A throwing
    // 'exit' listener there turns into a logged rejection and the process keeps running (CI hung on that).
    const script = `
      process.on("unhandledRejection", (e) => console.log("REJECTED " + e.message));
      import("${new URL("./nats-server-process.ts", import.meta.url).pathname}").then(async (m) => {
        const s = await m.startNatsServer();
        process.once("exit", () => s.killAndRemoveStoreSync());
        console.log("PID " + s.pid() + " STORE " + s.storeDir);
        setInterval(() => {}, 1000);
        await new Promise((r) => setTimeout(r, 100));
        process.exit(0);
      });`;
    const child = spawn(process.execPath, ["--import", "tsx", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => (child.kill("SIGKILL"), resolve(null)), 15_000);
      child.on("exit", (c) => (clearTimeout(timer), resolve(c)));
    });
    expect(code, out).toBe(0);
    const [, pid, store] = /PID (\d+) STORE (\S+)/.exec(out)!;
    expect(out).not.toContain("REJECTED");
    expect(existsSync(store!)).toBe(false);
    const deadline = Date.now() + 5_000;
    while (alive(Number(pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(alive(Number(pid))).toBe(false);
  });

  it("nats-server launcher - a missing binary names the Debian package", () => {
    expect(() => resolveNatsServerBinary({ PATH: "/nonexistent", NATS_SERVER_BIN: "/nope" }, [])).toThrow(NatsServerMissingError);
    expect(() => resolveNatsServerBinary({ PATH: "/nonexistent" }, [])).toThrow(/apt-get install -y nats-server/);
    expect(resolveNatsServerBinary({ PATH: "/nonexistent" })).toMatch(/nats-server$/); // found via the sbin fallback
  });
});
