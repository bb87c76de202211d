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

/**
 * Where a part of a bench allocates: V8's sampling heap profiler, counting objects that were collected too (by
 * default it reports only what is still alive at the end, which hides short-lived garbage). Written as a
 * .heapprofile, which DevTools opens.
 */
export async function startAllocationProfile(): Promise<{ stop(file: string): Promise<string> }> {
  const session = new Session();
  session.connect();
  await session.post("HeapProfiler.enable");
  await session.post("HeapProfiler.startSampling", { samplingInterval: 16 * 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return {
    async stop(file) {
      const { profile } = await session.post("HeapProfiler.stopSampling");
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      return file;
    },
  };
}
