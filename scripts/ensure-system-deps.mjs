#!/usr/bin/env node
/**
 * Makes sure the Debian packages busdeck needs are present: `nats-server` (always), `chromium` and
 * `prometheus-alertmanager` (tests: the alert integration tests start a real Alertmanager).
 * Installs them with apt-get when running as root or with passwordless sudo; otherwise stops with a message
 * naming the packages. Usage: node scripts/ensure-system-deps.mjs nats-server [chromium] [prometheus-alertmanager]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

const CHECKS = {
  "nats-server": () => findOnPath("nats-server", ["/usr/sbin", "/usr/local/sbin", "/sbin"]),
  chromium: () => (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : findOnPath("chromium")),
  "prometheus-alertmanager": () => findOnPath("prometheus-alertmanager"),
};

function findOnPath(bin, extra = []) {
  for (const dir of (process.env.PATH ?? "").split(delimiter).concat(extra)) {
    if (dir && existsSync(join(dir, bin))) return join(dir, bin);
  }
  return null;
}

const wanted = process.argv.slice(2);
for (const pkg of wanted) if (!CHECKS[pkg]) throw new Error(`unknown package ${pkg}; known: ${Object.keys(CHECKS).join(", ")}`);
const missing = wanted.filter((pkg) => !CHECKS[pkg]());
if (missing.length === 0) process.exit(0);

const isRoot = process.getuid?.() === 0;
const canSudo = !isRoot && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0;
if (!isRoot && !canSudo) {
  console.error(
    `busdeck needs Debian packages that are not installed: ${missing.join(" ")}\n` +
      `Install them with: sudo apt-get update && sudo apt-get install -y ${missing.join(" ")}`,
  );
  process.exit(1);
}
const prefix = isRoot ? [] : ["sudo", "-n"];
const run = (args) => {
  const [cmd, ...rest] = [...prefix, ...args];
  execFileSync(cmd, rest, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
};
console.log(`busdeck: installing Debian packages: ${missing.join(" ")}`);
run(["apt-get", "update", "-qq"]);
run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", ...missing]);
const still = missing.filter((pkg) => !CHECKS[pkg]());
if (still.length) {
  console.error(`busdeck: ${still.join(" ")} still missing after apt-get install`);
  process.exit(1);
}
