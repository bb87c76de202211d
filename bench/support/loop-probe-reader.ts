/** Reads what bench/support/loop-probe.cjs writes inside the benched server, and judges it by numbers. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export interface ProbeStall {
  gapMs: number;
  /** Main-thread CPU time over the gap: close to gapMs = busy, well below = not running (OS scheduler). */
  cpuMs: number;
  /** GC time inside the gap. */
  gcMs: number;
  gcKind?: string;
}

/** One second of the server's life as the probe saw it. */
export interface ProbeSecond {
  t: number;
  rssMiB: number;
  heapMiB: number;
  loopMaxMs: number;
  gcMaxMs: number;
  /** major / minor / incremental / weakcb: the kind of the longest pause. */
  gcMaxKind?: string;
  /** GC time within the second. */
  gcMs: number;
  stalls: ProbeStall[];
}

export interface LoopProbe {
  /** Environment that preloads the probe into a spawned node process. */
  env: Record<string, string>;
  read(): ProbeSecond[];
  close(): void;
}

export function openLoopProbe(): LoopProbe {
  const dir = mkdtempSync(join(tmpdir(), "busdeck-probe-"));
  const file = join(dir, "probe.jsonl");
  const script = resolve("bench/support/loop-probe.cjs");
  return {
    env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${script}`.trim(), LOOP_PROBE_FILE: file },
    read: () => (existsSync(file) ? parseProbeLines(readFileSync(file, "utf8")) : []),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Whole lines only: the probe may be writing the last one while the bench reads. */
export function parseProbeLines(text: string): ProbeSecond[] {
  const complete = text.slice(0, text.lastIndexOf("\n") + 1);
  return complete
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as ProbeSecond);
}

/**
 * Why the loop stalled, judged from the probe's figures. The main thread's CPU time comes first: a 300 ms
 * "scavenge" in which the main thread ran 10 ms was the process waiting for CPU (its own or its GC helper
 * threads'), not GC work — counted as descheduled.
 */
export function attributeStall(s: ProbeStall): "gc" | "js" | "descheduled" {
  // /proc counts CPU in 10 ms ticks: allow one tick of slack.
  if (s.cpuMs + 10 < s.gapMs * 0.6) return "descheduled";
  return s.gcMs >= s.gapMs / 2 ? "gc" : "js";
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Trend {
  /** Length of each compared window, s: 5 minutes, or a third of a shorter run. */
  windowS: number;
  first: number;
  last: number;
  /** last / first − 1. */
  growth: number;
}

/**
 * "Flat" and "unchanged" as numbers: the median of a figure over the first window against the last one.
 * Medians, because the GC sawtooth moves single RSS readings by 100 MiB; windows of 5 minutes, or a third of a
 * shorter run.
 */
export function windowTrend(points: { t: number; value: number }[], windowS = 300): Trend {
  if (points.length === 0) return { windowS: 0, first: NaN, last: NaN, growth: NaN };
  const start = points[0]!.t;
  const end = points.at(-1)!.t;
  const span = Math.min(windowS, Math.max(1, Math.floor((end - start) / 1000 / 3)));
  const first = median(points.filter((p) => p.t - start < span * 1000).map((p) => p.value));
  const last = median(points.filter((p) => end - p.t < span * 1000).map((p) => p.value));
  return { windowS: span, first, last, growth: last / first - 1 };
}

export const rssTrend = (seconds: Pick<ProbeSecond, "t" | "rssMiB">[], windowS = 300): Trend =>
  windowTrend(
    seconds.map((s) => ({ t: s.t, value: s.rssMiB })),
    windowS,
  );

export interface ProbeSummary {
  /** One line for a report interval. */
  line: string;
  /** The verdict for the whole run. */
  final: string;
}

export function summarizeProbe(seconds: ProbeSecond[], stallMs: number): ProbeSummary {
  const loopMax = Math.max(0, ...seconds.map((s) => s.loopMaxMs));
  const longestGc = seconds.reduce<ProbeSecond | undefined>((w, s) => (!w || s.gcMaxMs > w.gcMaxMs ? s : w), undefined);
  const gcShare = seconds.reduce((sum, s) => sum + s.gcMs, 0) / (seconds.length * 1000);
  const stalls = seconds.flatMap((s) => s.stalls).filter((s) => s.gapMs >= stallMs);
  const byCause = { gc: 0, js: 0, descheduled: 0 };
  for (const s of stalls) byCause[attributeStall(s)]++;
  const worst = stalls.reduce<ProbeStall | undefined>((w, s) => (!w || s.gapMs > w.gapMs ? s : w), undefined);
  const worstText = worst
    ? `, worst ${worst.gapMs} ms (${attributeStall(worst)}: cpu ${worst.cpuMs} ms, gc ${worst.gcMs} ms${worst.gcKind ? ` ${worst.gcKind}` : ""})`
    : "";
  const stallText = `stalls ≥ ${stallMs} ms: ${stalls.length} (gc ${byCause.gc}, js ${byCause.js}, descheduled ${byCause.descheduled})${worstText}`;
  const line = `probe: loop max ${loopMax} ms, gc pause max ${longestGc?.gcMaxMs ?? 0} ms${longestGc?.gcMaxKind ? ` (${longestGc.gcMaxKind})` : ""}, gc ${(gcShare * 100).toFixed(1)}% of time, heap ${seconds.at(-1)?.heapMiB ?? NaN} MiB; ${stallText}`;
  const trend = rssTrend(seconds);
  const over100 = stalls.filter((s) => s.gapMs > 100);
  const final =
    `${line}\n  RSS median first ${trend.windowS} s ${trend.first.toFixed(0)} MiB → last ${trend.windowS} s ${trend.last.toFixed(0)} MiB ` +
    `(${(trend.growth * 100).toFixed(1)}%); stalls > 100 ms: ${over100.length}, of which not descheduled: ${over100.filter((s) => attributeStall(s) !== "descheduled").length} (target 0)`;
  return { line, final };
}
