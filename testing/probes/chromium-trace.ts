/**
 * Where a page's main thread spends its time, from a Chromium trace (Playwright's browser.startTracing) and a
 * V8 CPU profile (CDP Profiler): the long tasks in order with what ran inside each, and the JavaScript
 * functions by self time. Printed by the browser benches' --trace option; the raw files open in DevTools.
 */

import { writeFileSync } from "node:fs";
import type { Browser, Page } from "@playwright/test";

/** The trace categories worth having for a page load: tasks, DOM/layout/paint, GC, script, network. */
export const TRACE_CATEGORIES = [
  "toplevel",
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "v8",
  "blink",
  "loading",
  "netlog",
];

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, unknown> };
}

interface Span {
  name: string;
  start: number;
  end: number;
  self: number;
}

/** What names an event usefully: a function call's function, an event dispatch's type. */
function label(e: TraceEvent): string {
  const d = e.args?.data;
  if (!d) return e.name;
  if (e.name === "FunctionCall" && (d.functionName || d.url))
    return `FunctionCall ${d.functionName || "(anonymous)"} ${String(d.url ?? "")
      .split("/")
      .pop()}`;
  if (e.name === "EventDispatch" && d.type) return `EventDispatch ${d.type}`;
  if (e.name === "TimerFire" || e.name === "FireAnimationFrame") return e.name;
  return e.name;
}

/** The renderer main thread that did the most work: the page's, when the trace holds several renderers. */
function mainThread(events: TraceEvent[]): { pid: number; tid: number } | null {
  const names = events.filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain");
  let best: { pid: number; tid: number; busy: number } | null = null;
  for (const t of names) {
    const busy = events.reduce(
      (sum, e) => sum + (e.pid === t.pid && e.tid === t.tid && e.ph === "X" && e.name.endsWith("RunTask") ? (e.dur ?? 0) : 0),
      0,
    );
    if (!best || busy > best.busy) best = { pid: t.pid, tid: t.tid, busy };
  }
  return best;
}

/** Complete spans of one thread (B/E pairs folded into them), with self time: their duration less their children's. */
function spans(events: TraceEvent[], pid: number, tid: number): Span[] {
  const out: Span[] = [];
  const open: TraceEvent[] = [];
  for (const e of events) {
    if (e.pid !== pid || e.tid !== tid) continue;
    if (e.ph === "X" && e.dur !== undefined) out.push({ name: label(e), start: e.ts, end: e.ts + e.dur, self: e.dur });
    else if (e.ph === "B") open.push(e);
    else if (e.ph === "E") {
      const b = open.pop();
      if (b) out.push({ name: label(b), start: b.ts, end: e.ts, self: e.ts - b.ts });
    }
  }
  out.sort((a, b) => a.start - b.start || b.end - a.end);
  const stack: Span[] = [];
  for (const s of out) {
    while (stack.length && stack[stack.length - 1]!.end <= s.start) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent && s.end <= parent.end) parent.self -= s.end - s.start;
    stack.push(s);
  }
  return out;
}

const ms = (us: number) => `${(us / 1000).toFixed(1)} ms`;

/**
 * The long tasks of the page's main thread in order, each with the trace events that took most of its time and,
 * given the CPU profile of the same run (same clock), the JavaScript functions that did.
 */
export function summarizeTrace(json: string, profile?: CpuProfile, longTaskMs = 15): string {
  const events = (JSON.parse(json) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = mainThread(events);
  if (!main) return "trace: no renderer main thread found";
  const all = spans(events, main.pid, main.tid);
  // reduce, not Math.min(...spans): a long trace has more spans than the call stack takes as arguments
  const t0 = all.reduce((min, s) => Math.min(min, s.start), Infinity);
  const tEnd = all.reduce((max, s) => Math.max(max, s.end), -Infinity);
  // outermost tasks only: a task runner's RunTask often wraps another's
  const tasks: Span[] = [];
  for (const s of all) if (s.name.endsWith("RunTask") && !(tasks.length && s.end <= tasks[tasks.length - 1]!.end)) tasks.push(s);
  const lines = [`main thread: ${tasks.length} tasks, busy ${ms(tasks.reduce((n, t) => n + t.end - t.start, 0))} of ${ms(tEnd - t0)}`];
  for (const task of tasks) {
    if (task.end - task.start < longTaskMs * 1000) continue;
    const inside = new Map<string, number>();
    for (const s of all)
      if (s !== task && s.start >= task.start && s.end <= task.end && s.self > 0) inside.set(s.name, (inside.get(s.name) ?? 0) + s.self);
    const top = [...inside]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .filter(([, us]) => us >= 1000);
    lines.push(
      `  at ${ms(task.start - t0).padStart(9)}: task ${ms(task.end - task.start).padStart(9)} — ${top.map(([n, us]) => `${n} ${ms(us)}`).join(", ") || "(no detail)"}`,
    );
    if (profile) {
      const js = selfTimes(profile, task.start, task.end)
        .filter(([n, us]) => !n.startsWith("(") && us >= 2000)
        .slice(0, 4);
      if (js.length) lines.push(`${" ".repeat(30)}js: ${js.map(([n, us]) => `${n} ${ms(us)}`).join(", ")}`);
    }
  }
  const byName = new Map<string, number>();
  for (const s of all) if (!s.name.endsWith("RunTask") && s.self > 0) byName.set(s.name, (byName.get(s.name) ?? 0) + s.self);
  lines.push(
    `  self time by event: ${[...byName]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([n, us]) => `${n} ${ms(us)}`)
      .join("; ")}`,
  );
  return lines.join("\n");
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  startTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Self time per function (name file:line:column — minified bundles are one line) of the samples between two instants. */
function selfTimes(profile: CpuProfile, from = -Infinity, to = Infinity): [string, number][] {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let at = profile.startTime;
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, k) => {
    at += deltas[k] ?? 0;
    if (at < from || at > to) return;
    const f = nodes.get(id)!.callFrame;
    const name =
      `${f.functionName || "(anonymous)"} ${f.url ? `${f.url.split("/").pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}` : ""}`.trim();
    // a sample stands for the time until the next one
    self.set(name, (self.get(name) ?? 0) + (deltas[k + 1] ?? 0));
  });
  return [...self].sort((a, b) => b[1] - a[1]);
}

/** JavaScript functions by self time in a V8 CPU profile (including V8's (program) and (garbage collector)). */
export function summarizeCpuProfile(profile: CpuProfile, top = 20): string {
  return selfTimes(profile)
    .slice(0, top)
    .map(([n, us]) => `  ${ms(us).padStart(9)}  ${n}`)
    .join("\n");
}

/**
 * Runs `during` under a Chromium trace and a CPU profile of the page, writes `<prefix>.trace.json` and
 * `<prefix>.cpuprofile`, prints both summaries, and returns what `during` returned.
 */
export async function tracePage<T>(browser: Browser, page: Page, prefix: string, during: () => Promise<T>): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  await cdp.send("Profiler.start");
  const result = await during();
  const { profile } = await cdp.send("Profiler.stop");
  const trace = (await browser.stopTracing()).toString();
  writeFileSync(`${prefix}.trace.json`, trace);
  writeFileSync(`${prefix}.cpuprofile`, JSON.stringify(profile));
  await cdp.detach();
  console.log(summarizeTrace(trace, profile as CpuProfile));
  console.log(`page JavaScript by self time:\n${summarizeCpuProfile(profile as CpuProfile)}`);
  return result;
}
