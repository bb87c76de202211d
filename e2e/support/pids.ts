import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** pid of the process listening on a loopback TCP port (Linux /proc), to kill exactly one cluster node. */
export function pidListeningOn(port: number): number | null {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  const inode = readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .find((f) => f[1]?.endsWith(`:${hex}`) && f[3] === "0A")?.[9];
  if (!inode) return null;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readdirSync(`/proc/${pid}/fd`).some((fd) => readlinkSafe(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`)) return Number(pid);
    } catch {
      // not ours to read
    }
  }
  return null;
}
const readlinkSafe = (p: string) => {
  try {
    return readlinkSync(p);
  } catch {
    return "";
  }
};
