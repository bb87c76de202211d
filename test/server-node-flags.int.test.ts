/**
 * The server's node flags are written once, in scripts/serve.sh (V8 refuses them in NODE_OPTIONS): package.json,
 * the Dockerfile, the e2e server, tests and benches all start node through it, so what they measure is the server
 * users get (why each flag: docs/deployment.md#node-flags).
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SERVE_SCRIPT } from "../testing/app/app-process";

const SERVER_FLAGS = ["--single-threaded-gc", "--max-semi-space-size=64", "--heap-growing-percent=100", "--no-flush-bytecode"];
const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;

/** Prints what a node started by the launcher knows of itself: its pid and the options it was started with. */
const PROBE = "console.log(JSON.stringify({ pid: process.pid, execArgv: process.execArgv }))";

/** What a node started by the launcher reports about itself. */
async function launchedNode(): Promise<{ launcherPid: number; pid: number; execArgv: string[] }> {
  const child = spawn("sh", [SERVE_SCRIPT, "-e", PROBE], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  expect(code).toBe(0);
  return { launcherPid: child.pid!, ...(JSON.parse(out) as { pid: number; execArgv: string[] }) };
}

describe("server node flags", () => {
  it("node flags - the launcher runs node with the server's flags, in the process its caller started", async () => {
    const node = await launchedNode();
    expect(node.execArgv).toEqual([...SERVER_FLAGS, "-e", PROBE]);
    // exec, not a child: the pid a test or bench holds (to stop it, to read its CPU) is the server's
    expect(node.pid).toBe(node.launcherPid);
  });

  it.each(["up", "start"])("node flags - package.json's %s starts next through the launcher", (name) => {
    expect(scripts[name]).toContain("sh scripts/serve.sh node_modules/next/dist/bin/next start");
  });

  it("node flags - the image copies the launcher and its CMD runs server.js through it", () => {
    const dockerfile = readFileSync("Dockerfile", "utf8").split("\n");
    expect(dockerfile).toContain("COPY --from=build --chown=root:root /app/scripts/serve.sh ./scripts/serve.sh");
    expect(dockerfile.find((line) => line.startsWith("CMD "))).toContain("exec sh scripts/serve.sh server.js");
  });

  it("node flags - the benches that time server code run under the launcher too", () => {
    for (const name of ["bench:consumer-sampler", "bench:tracker", "bench:outcomes"])
      expect(scripts[name], name).toMatch(/^sh scripts\/serve\.sh --conditions=react-server --import tsx /);
  });

  it("node flags - no other file in the tree spells the flags' settings", () => {
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { encoding: "utf8" })
      .split("\n")
      .filter((f) => f && existsSync(f) && !f.endsWith(".md") && f !== "scripts/serve.sh" && f !== "test/server-node-flags.int.test.ts");
    const spelling = files.filter((f) => /--(max-semi-space-size|heap-growing-percent)=/.test(readFileSync(f, "latin1")));
    expect(spelling).toEqual([]);
  });
});
