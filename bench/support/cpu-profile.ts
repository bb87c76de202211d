/**
 * A CPU profile of part of a bench (node's --cpu-prof covers the whole process, setup included, which in the
 * consumer benches is most of it). Written as a .cpuprofile, which DevTools opens.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";

export async function startCpuProfile(): Promise<{ stop(file: string): Promise<string> }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  // 0.5 ms: finer sampling slowed the measured code down by half (profiles are for proportions, not times)
  await session.post("Profiler.setSamplingInterval", { interval: 500 });
  await session.post("Profiler.start");
  return {
    async stop(file) {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      return file;
    },
  };
}
