/** GC pauses of this process, from perf_hooks: how much of a span the main thread spent collecting. */
import { PerformanceObserver, constants } from "node:perf_hooks";

interface GcEntry {
  start: number;
  ms: number;
  major: boolean;
}

export function recordGc(): { within(from: number, to: number): { ms: number; majorMs: number }; stop(): void } {
  const entries: GcEntry[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      entries.push({ start: e.startTime, ms: e.duration, major: kind === constants.NODE_PERFORMANCE_GC_MAJOR });
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  return {
    // entries arrive after the pause, so ask once the span is over (an await later)
    within(from, to) {
      let ms = 0;
      let majorMs = 0;
      for (const e of entries) {
        if (e.start < from || e.start >= to) continue;
        ms += e.ms;
        if (e.major) majorMs += e.ms;
      }
      return { ms, majorMs };
    },
    stop: () => observer.disconnect(),
  };
}
