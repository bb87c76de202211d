/**
 * Preloaded into the benched server (`node --require bench/support/loop-probe.cjs`): measures, inside the server
 * process, what the soak judges — event-loop stalls, GC pauses, heap — and attributes each stall, so a long one
 * can be told apart as GC, JavaScript work or the OS not running the process (2 shared cores).
 *
 * Every second it appends one JSON line to $LOOP_PROBE_FILE:
 *   { t, rssMiB, heapMiB, loopMaxMs, gcMaxMs, gcMaxKind, gcMs, stalls: [{ gapMs, cpuMs, gcMs, gcKind }] }
 * A stall is a 10 ms ticker firing more than 50 ms late; cpuMs is the main thread's CPU time over that gap
 * (from /proc, 10 ms ticks): about the gap = the thread was busy (gcMs says how much of it was GC);
 * well below it = the thread was runnable or waiting but not running.
 */
"use strict";
const { monitorEventLoopDelay, PerformanceObserver, performance, constants } = require("node:perf_hooks");
const { appendFileSync, readFileSync } = require("node:fs");

const file = process.env.LOOP_PROBE_FILE;
if (file && !globalThis.__loopProbe) {
  globalThis.__loopProbe = true;
  const TICK_MS = 10;
  const STALL_MS = 50;
  const statPath = `/proc/self/task/${process.pid}/stat`;
  const mainThreadCpuMs = () => {
    const stat = readFileSync(statPath, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) * 10; // utime + stime, USER_HZ = 100
  };
  const KINDS = {
    [constants.NODE_PERFORMANCE_GC_MAJOR]: "major",
    [constants.NODE_PERFORMANCE_GC_MINOR]: "minor",
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weakcb",
  };
  /** GC entries of the last few seconds: stalls are matched against them when the second is written. */
  let gcs = [];
  let gcMax = 0;
  let gcMaxKind;
  let gcTotal = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = KINDS[e.detail?.kind ?? e.kind] ?? "other";
      gcs.push({ start: e.startTime, end: e.startTime + e.duration, kind });
      if (e.duration > gcMax) [gcMax, gcMaxKind] = [e.duration, kind];
      gcTotal += e.duration;
    }
  }).observe({ entryTypes: ["gc"] });

  const delay = monitorEventLoopDelay({ resolution: TICK_MS });
  delay.enable();
  let pending = [];
  let last = performance.now();
  let lastCpu = mainThreadCpuMs();
  setInterval(() => {
    const now = performance.now();
    const cpu = mainThreadCpuMs();
    const gap = now - last - TICK_MS;
    if (gap > STALL_MS) pending.push({ from: last, to: now, gapMs: Math.round(gap), cpuMs: cpu - lastCpu });
    last = now;
    lastCpu = cpu;
  }, TICK_MS).unref();

  setInterval(() => {
    const now = performance.now();
    const stalls = pending.map((s) => {
      const overlapping = gcs.filter((g) => g.end > s.from && g.start < s.to);
      const gcMs = overlapping.reduce((sum, g) => sum + Math.min(g.end, s.to) - Math.max(g.start, s.from), 0);
      const kinds = [...new Set(overlapping.map((g) => g.kind))].join("+");
      return { gapMs: s.gapMs, cpuMs: s.cpuMs, gcMs: Math.round(gcMs), gcKind: kinds || undefined };
    });
    pending = [];
    gcs = gcs.filter((g) => g.end > now - 5_000);
    const mem = process.memoryUsage();
    const line = {
      t: Date.now(),
      rssMiB: Math.round(mem.rss / 1048576),
      heapMiB: Math.round(mem.heapUsed / 1048576),
      loopMaxMs: Math.round(delay.max / 1e6),
      gcMaxMs: Math.round(gcMax),
      gcMaxKind,
      gcMs: Math.round(gcTotal),
      stalls,
    };
    delay.reset();
    gcMax = 0;
    gcMaxKind = undefined;
    gcTotal = 0;
    try {
      appendFileSync(file, JSON.stringify(line) + "\n");
    } catch {
      // the bench went away
    }
  }, 1_000).unref();
}
