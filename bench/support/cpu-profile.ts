/**
 * Profiles of part of a bench (node's --cpu-prof covers the whole process, setup included, which in the
 * consumer benches is most of it), through the inspector. Written as files DevTools opens.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";

interface PartProfile {
  /** Ends the profile and writes it to `file`; returns the file. */
  stop(file: string): Promise<string>;
}

async function startInspectorProfile(begin: (s: Session) => Promise<unknown>, end: (s: Session) => Promise<unknown>): Promise<PartProfile> {
  const session = new Session();
  session.connect();
  await begin(session);
  return {
    async stop(file) {
      writeFileSync(file, JSON.stringify(await end(session)));
      session.disconnect();
      return file;
    },
  };
}

/** A CPU profile (.cpuprofile). */
export function startCpuProfile(): Promise<PartProfile> {
  return startInspectorProfile(
    async (s) => {
      await s.post("Profiler.enable");
      // 0.5 ms: finer sampling slows the measured code down (profiles are for proportions, not times)
      await s.post("Profiler.setSamplingInterval", { interval: 500 });
      await s.post("Profiler.start");
    },
    async (s) => (await s.post("Profiler.stop")).profile,
  );
}

/**
 * Where the part allocates (.heapprofile): V8's sampling heap profiler, counting objects that were collected too
 * (by default it reports only what is still alive at the end, which hides short-lived garbage).
 */
export function startAllocationProfile(): Promise<PartProfile> {
  return startInspectorProfile(
    async (s) => {
      await s.post("HeapProfiler.enable");
      await s.post("HeapProfiler.startSampling", {
        samplingInterval: 16 * 1024,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    },
    async (s) => (await s.post("HeapProfiler.stopSampling")).profile,
  );
}
