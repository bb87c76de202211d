/**
 * The chaos run, shared by `npm run chaos` (bench/chaos.ts, which prints) and its short integration
 * test (server/chaos.int.test.ts, which asserts): a 3-node nats-server cluster, three busdeck replicas (the
 * production build under `next start`), a test Alertmanager behind a recorder, a known workload, and a seeded
 * schedule of faults. After the run, with everything up again, every check is read through each replica's own
 * HTTP API, polled until all hold or the settle time runs out.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { startNatsCluster, type NatsClusterHandle } from "../../server/nats-cluster-process";
import { freePort } from "../../server/nats-server-process";
import { startAlertmanager, type AlertmanagerHandle } from "../alertmanager/alertmanager-process";
import { startApp, type AppHandle } from "../app/app-process";
import { rssMiB } from "../probes/proc-stats";
import { chaosSchedule, type ChaosSchedule, type FaultKind, type ScheduledFault } from "./schedule";
import {
  CHAOS_EXCEPTIONS,
  CHAOS_HANDLERS,
  RetryingPublisher,
  chaosConnect,
  chaosOutcomeBody,
  expectedOutcomes,
  sleep,
  type ExpectedOutcomes,
} from "./workload";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Another production build to run instead (BUSDECK_CHAOS_DIST, e.g. .next-e2e when it is fresh). */
export const CHAOS_DIST_DIR = process.env.BUSDECK_CHAOS_DIST ?? ".next-chaos";
const OUTCOME_STREAM = "REFLEX_OUTCOMES";
const OUTCOME_PREFIX = "reflex.outcome";
const WORK_STREAM = "CHAOS_WORK";
const LOCK_BUCKET = "locks";
const LOCK_KEY = "chaos";
const LOCK_HOLDERS = ["chaos-a", "chaos-b", "chaos-c"];
const HISTORY_STEP_MS = 5_000;
/** How often the harness reads the sample every replica shows (samples come every second). */
const SAMPLE_POLL_MS = 500;
/**
 * The longest a fault may keep busdeck from taking a sample. A killed sampler: its lease (3 s) and the next
 * holder's poll and first sample. A killed node: when the sampler's connection was on it, the tick in flight
 * waits out the request timeout (5 s) before it fails; the next ticks meet nats-server 2.9 answering each list
 * that involves the dead node only after ~4 s (a sample takes a stream list, then consumer lists: ~8 s); and
 * a node that led the lock's stream leaves nobody able to renew or take the lock until JetStream elects a new
 * leader (~5 s). Measured 11–13 s when the sampler's connection was on the killed node.
 */
const MAX_NO_SAMPLE_MS = 15_000;
const LEASE_MS = 3_000;
/** The chaos lock's lease: a failover waits it out (an overwrite within it is a split brain). */
const LOCK_TTL_S = 3;

export interface ChaosOptions {
  minutes: number;
  seed: number;
  /** Outcomes per second. */
  rate: number;
  /** How long the checks are polled after the run before the last answers count. */
  settleMs?: number;
  log?: (line: string) => void;
  /** Where each replica's output is kept (`<dir>/<replica>.log`, appended per process); none when absent. */
  logDir?: string;
}

export interface InjectedFault extends ScheduledFault {
  target_name: string;
  /** When it actually happened and when the target was back (ms since the run started). */
  injected_ms: number;
  restored_ms: number | null;
  error?: string;
}

export interface CheckResult {
  name: string;
  replica: string;
  ok: boolean;
  /** Not applicable: neither passed nor failed (e.g. RSS on a short run). */
  na?: boolean;
  expected: string;
  got: string;
}

/** A check from the problems it found: held when none, else the first few of them. */
function checkOf(name: string, replica: string, expected: string, problems: readonly string[], allHeld: string): CheckResult {
  const more = problems.length > 4 ? ` (+${problems.length - 4})` : "";
  return {
    name,
    replica,
    ok: problems.length === 0,
    expected,
    got: problems.length === 0 ? allHeld : problems.slice(0, 4).join("; ") + more,
  };
}

export interface ChaosResult {
  schedule: ChaosSchedule;
  faults: InjectedFault[];
  checks: CheckResult[];
  published: { issued: number; acked: number; duplicates: number; retries: number; seconds: number };
  lockTransitions: ExpectedTransition[];
  findingsSeen: number;
  /** The findings opened in the run, as the first replica lists them at the end (+ms since the run started). */
  findings: { id: string; state: string; since_ms: number; resolved_ms: number | null }[];
  ok: boolean;
}

interface ExpectedTransition {
  kind: "acquire" | "failover" | "handover" | "release";
  holder: string | null;
  previous_holder: string | null;
}

/** The production build the replicas run: built once into CHAOS_DIST_DIR when missing (or when `rebuild`). */
export function ensureChaosBuild(rebuild = false, log: (l: string) => void = () => {}): void {
  if (!rebuild && existsSync(join(ROOT, CHAOS_DIST_DIR, "BUILD_ID"))) return;
  log(`building the app into ${CHAOS_DIST_DIR} …`);
  execFileSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    cwd: ROOT,
    env: { ...process.env, BUSDECK_DIST_DIR: CHAOS_DIST_DIR },
    stdio: "ignore",
  });
  // next build adds the dist dir's type paths to tsconfig.json: keep the tree clean
  try {
    execFileSync("git", ["checkout", "tsconfig.json"], { cwd: ROOT, stdio: "ignore" });
  } catch {
    // not a git checkout
  }
}

/** Alertmanager behind a recorder: every alert batch busdeck POSTs is kept (with when), then passed on. */
interface AlertRecorder {
  url: string;
  batches: { at: number; alerts: RecordedAlert[] }[];
  stop(): Promise<void>;
}
interface RecordedAlert {
  labels: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
}

async function startAlertRecorder(am: AlertmanagerHandle): Promise<AlertRecorder> {
  const batches: AlertRecorder["batches"] = [];
  const port = await freePort();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      void (async () => {
        try {
          const upstream = await fetch(`${am.url}${req.url ?? "/"}`, {
            method: req.method,
            headers: { "Content-Type": req.headers["content-type"] ?? "application/json" },
            body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
          });
          const text = await upstream.text();
          if (req.method === "POST" && req.url?.startsWith("/api/v2/alerts") && upstream.ok)
            batches.push({ at: Date.now(), alerts: JSON.parse(body.toString()) as RecordedAlert[] });
          res.writeHead(upstream.status, { "Content-Type": upstream.headers.get("content-type") ?? "text/plain" }).end(text);
        } catch (err) {
          res.writeHead(502).end(String(err));
        }
      })();
    });
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${port}`, batches, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

interface Replica {
  name: string;
  port: number;
  app: AppHandle | null;
  startedAt: number;
  rss: { t: number; pid: number; mib: number }[];
}

export async function runChaos(opts: ChaosOptions): Promise<ChaosResult> {
  const log = opts.log ?? (() => {});
  const durationMs = Math.round(opts.minutes * 60_000);
  const schedule = chaosSchedule(opts.seed, durationMs);
  const runId = `chaos${opts.seed}-${Date.now().toString(36)}`;
  const cleanups: (() => Promise<unknown>)[] = [];
  const faults: InjectedFault[] = [];
  const lockTransitions: ExpectedTransition[] = [];
  const nodeDown: { from: number; to: number | null; node: number }[] = [];
  /** Every sample seen on any replica during the run, by its sampled_at. */
  const sampled = new Map<number, SeenSample>();
  let stopped = false;
  try {
    ensureChaosBuild(false, log);
    const cluster: NatsClusterHandle = await startNatsCluster();
    cleanups.push(() => cluster.stop());
    const am = await startAlertmanager();
    cleanups.push(() => am.stop());
    const recorder = await startAlertRecorder(am);
    cleanups.push(() => recorder.stop());
    log(`cluster ${cluster.urls.join(",")}; alertmanager ${am.url} (recorded at ${recorder.url})`);

    // The bus: the outcome stream (deduplicating retries for 10 min), a work stream with two consumers, the lock bucket.
    const admin = await chaosConnect(cluster.urls, "chaos-admin");
    cleanups.push(() => admin.close());
    const jsm = await jetstreamManager(admin);
    await jsm.streams.add({ name: OUTCOME_STREAM, subjects: [`${OUTCOME_PREFIX}.>`], num_replicas: 3, duplicate_window: 600e9 });
    await jsm.streams.add({ name: WORK_STREAM, subjects: ["chaos.work.>"], num_replicas: 3, duplicate_window: 600e9 });
    for (const name of ["steady", "stall"])
      await jsm.consumers.add(WORK_STREAM, { durable_name: name, ack_policy: AckPolicy.Explicit, ack_wait: 10e9 });
    await new Kvm(admin).create(LOCK_BUCKET, { history: 10, replicas: 3 });

    const replicaEnv = (name: string) => ({
      NATS_URL: cluster.urls.join(","),
      BUSDECK_DIST_DIR: CHAOS_DIST_DIR,
      BUSDECK_FLEET_ID: name,
      BUSDECK_DEMO: "0",
      BUSDECK_ALERTMANAGER_URL: recorder.url,
      BUSDECK_FLEET_LEASE_MS: String(LEASE_MS),
      BUSDECK_HISTORY_STEP_MS: String(HISTORY_STEP_MS),
      BUSDECK_LOCK_BUCKETS: LOCK_BUCKET,
    });
    const replicas: Replica[] = [];
    for (let i = 0; i < 3; i++) {
      const name = `chaos-r${i}`;
      const port = await freePort();
      replicas.push({ name, port, app: null, startedAt: 0, rss: [] });
    }
    const keepOutput = (r: Replica) => {
      if (!opts.logDir || !r.app) return;
      mkdirSync(opts.logDir, { recursive: true });
      appendFileSync(
        join(opts.logDir, `${r.name}.log`),
        `---- pid ${r.app.pid}, started ${new Date(r.startedAt).toISOString()} ----\n${r.app.output()}\n`,
      );
    };
    const startReplica = async (r: Replica) => {
      r.app = await startApp(replicaEnv(r.name), { port: r.port });
      r.startedAt = Date.now();
    };
    cleanups.push(() =>
      Promise.all(
        replicas.map((r) =>
          r.app
            ?.stop()
            .catch(() => r.app?.kill())
            .finally(() => keepOutput(r)),
        ),
      ),
    );
    await Promise.all(replicas.map(startReplica));
    log(`replicas up: ${replicas.map((r) => `${r.name} :${r.port}`).join(", ")}`);

    // ---- the workload ----
    const enc = new TextEncoder();
    const outcomes = new RetryingPublisher({
      servers: cluster.urls,
      name: "chaos-outcomes",
      rate: opts.rate,
      subject: (n) => `${OUTCOME_PREFIX}.${CHAOS_HANDLERS[n % CHAOS_HANDLERS.length]}`,
      body: (n) => enc.encode(JSON.stringify(chaosOutcomeBody(n, runId, new Date()))),
      msgId: (n) => `${runId}-o${n}`,
    });
    const work = new RetryingPublisher({
      servers: cluster.urls,
      name: "chaos-work",
      rate: 20,
      subject: (n) => `chaos.work.${n % 5}`,
      body: (n) => enc.encode(JSON.stringify({ n })),
      msgId: (n) => `${runId}-w${n}`,
    });
    const consumerNc = await chaosConnect(cluster.urls, "chaos-consumers");
    cleanups.push(() => consumerNc.close());
    const lockNc = await chaosConnect(cluster.urls, "chaos-lock");
    cleanups.push(() => lockNc.close());
    const kv = await new Kvm(lockNc).open(LOCK_BUCKET);

    const runStart = Date.now();
    const elapsed = () => Date.now() - runStart;
    cleanups.push(async () => void (stopped = true));
    await outcomes.start();
    cleanups.push(() => outcomes.close());
    await work.start();
    cleanups.push(() => work.close());
    const stalled = () => elapsed() >= schedule.stall.from_ms && elapsed() < schedule.stall.to_ms;
    const consumers = [
      consume(
        consumerNc,
        "steady",
        () => false,
        () => stopped,
      ),
      consume(consumerNc, "stall", stalled, () => stopped),
    ];
    const lockLoop = runLock(kv, schedule, runStart, () => stopped, lockTransitions, log);

    const sampleRss = async () => {
      while (!stopped) {
        for (const r of replicas) {
          const pid = r.app?.pid;
          const mib = pid ? readRss(pid) : null;
          if (pid && mib !== null) r.rss.push({ t: Date.now(), pid, mib });
        }
        await sleep(15_000);
      }
    };
    const rssLoop = sampleRss();
    // The samples the replicas show, for the history check: which steps had one to persist.
    const sampleLoop = (async () => {
      while (!stopped) {
        for (const x of await Promise.all(replicas.map((r) => (r.app ? shownSample(r.port) : Promise.resolve(null)))))
          if (x && !(sampled.get(x.t)?.has_work ?? false)) sampled.set(x.t, x);
        await sleep(SAMPLE_POLL_MS);
      }
    })();

    // ---- the faults ----
    for (const f of schedule.faults) {
      const wait = runStart + f.at_ms - Date.now();
      if (wait > 0) await sleep(wait);
      const injected: InjectedFault = { ...f, target_name: targetName(f, cluster, replicas), injected_ms: elapsed(), restored_ms: null };
      faults.push(injected);
      log(`fault ${f.kind} ${injected.target_name} at +${(injected.injected_ms / 1000).toFixed(1)} s for ${f.down_ms} ms`);
      try {
        await inject(f.kind, f.target);
        await sleep(f.down_ms);
        await restore(f.kind, f.target);
        injected.restored_ms = elapsed();
      } catch (err) {
        injected.error = (err as Error).message.slice(0, 300);
        log(`  fault ${f.kind} failed: ${injected.error}`);
      }
    }
    async function inject(kind: FaultKind, target: number) {
      if (kind === "nats_kill") {
        nodeDown.push({ from: Date.now(), to: null, node: target });
        await cluster.nodes[target]!.crash();
      } else if (kind === "replica_kill") await replicas[target]!.app!.kill().finally(() => keepOutput(replicas[target]!));
      else if (kind === "replica_term") await replicas[target]!.app!.stop().finally(() => keepOutput(replicas[target]!));
      else await outcomes.cutConnection();
    }
    async function restore(kind: FaultKind, target: number) {
      if (kind === "nats_kill") {
        await cluster.nodes[target]!.restart();
        nodeDown.at(-1)!.to = Date.now();
      } else if (kind === "replica_kill" || kind === "replica_term") await startReplica(replicas[target]!);
      else await outcomes.restoreConnection();
    }

    const left = runStart + durationMs - Date.now();
    if (left > 0) await sleep(left);
    await outcomes.finish(120_000);
    await work.finish(120_000);
    const runEnd = Date.now();
    stopped = true;
    await Promise.all([lockLoop, rssLoop, sampleLoop, ...consumers]);
    log(
      `run over: ${outcomes.acked} outcomes acked (${outcomes.duplicates} duplicate acks, ${outcomes.retries} retries), ` +
        `${lockTransitions.length} lock transitions, ${faults.length} faults`,
    );

    // ---- the checks, polled until all hold or settle time is up ----
    const expected = expectedOutcomes(outcomes.acked);
    const settleMs = opts.settleMs ?? 180_000;
    const deadline = Date.now() + settleMs;
    // The range summary's whole minutes come from rollups: the range is the run's minutes, read once they are over.
    const rangeFrom = Math.floor(runStart / 60_000) * 60_000;
    const rangeTo = Math.ceil((runEnd + 1) / 60_000) * 60_000;
    let checks: CheckResult[] = [];
    let findingsSeen = 0;
    let findingsListed: ChaosResult["findings"] = [];
    for (;;) {
      const now = Date.now();
      const ready = now >= rangeTo + 2_000;
      checks = [];
      findingsSeen = 0;
      for (const r of replicas) {
        const base = `http://127.0.0.1:${r.port}`;
        if (ready) checks.push(await checkOutcomes(base, r.name, expected, rangeFrom, rangeTo));
        checks.push(await checkFailover(base, r.name, lockTransitions, runStart, runEnd));
        const f = await checkFindings(base, r.name, recorder, runStart, runEnd, expected);
        findingsSeen = Math.max(findingsSeen, f.seen);
        if (r === replicas[0]) findingsListed = f.listed;
        checks.push(f.check);
        checks.push(await checkHistory(base, r.name, runStart, runEnd, nodeDown, sampled, faults));
        checks.push(checkRss(r, durationMs));
      }
      if (ready && checks.every((c) => c.ok || c.na)) break;
      if (Date.now() > deadline) break;
      await sleep(3_000);
    }
    const ok = checks.every((c) => c.ok || c.na) && faults.every((f) => !f.error);
    return {
      schedule,
      faults,
      checks,
      published: {
        issued: outcomes.issued,
        acked: outcomes.acked,
        duplicates: outcomes.duplicates,
        retries: outcomes.retries,
        seconds: (runEnd - runStart) / 1000,
      },
      lockTransitions,
      findingsSeen,
      findings: findingsListed,
      ok,
    };
  } finally {
    stopped = true;
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  }
}

function targetName(f: ScheduledFault, cluster: NatsClusterHandle, replicas: Replica[]): string {
  if (f.kind === "nats_kill") return cluster.names[f.target]!;
  if (f.kind === "publisher_cut") return "outcome publisher";
  return replicas[f.target]!.name;
}

/** A durable pull consumer worked until `stopped`; while `paused` it takes nothing (its lag grows, its ack floor stays). */
async function consume(nc: NatsConnection, name: string, paused: () => boolean, stopped: () => boolean) {
  const js = jetstream(nc);
  while (!stopped()) {
    if (paused()) {
      await sleep(200);
      continue;
    }
    try {
      const c = await js.consumers.get(WORK_STREAM, name);
      const batch = await c.fetch({ max_messages: 100, expires: 1_000 });
      for await (const m of batch) await m.ackAck().catch(() => false);
    } catch {
      await sleep(250);
    }
  }
}

/**
 * The singleton lock: the holder renews every second; at each scheduled change the next holder takes it over
 * (failover) or the holder deletes it and the next creates it (handover). A write whose answer was lost is read
 * back: what the bucket holds decides whether it landed. Records the transitions busdeck should show.
 */
async function runLock(
  kv: KV,
  schedule: ChaosSchedule,
  runStart: number,
  stopped: () => boolean,
  out: ExpectedTransition[],
  log: (l: string) => void,
) {
  const value = (holder: string) =>
    JSON.stringify({ holder_id: holder, acquired_at: new Date().toISOString(), ttl_s: LOCK_TTL_S, renew_interval_s: 1 });
  const current = async () => {
    const e = await kv.get(LOCK_KEY);
    if (!e || e.operation !== "PUT") return { holder: null, revision: e?.revision ?? 0 };
    return { holder: (e.json() as { holder_id: string }).holder_id, revision: e.revision };
  };
  /** Retries `write` until the bucket shows `holds` (the write landed, whichever attempt did it). */
  const until = async (write: () => Promise<unknown>, holds: (c: { holder: string | null; revision: number }) => boolean) => {
    for (;;) {
      try {
        await write();
      } catch {
        // lost or refused: read back below
      }
      try {
        const c = await current();
        if (holds(c)) return c.revision;
      } catch {
        // bucket unreachable for now
      }
      await sleep(300);
    }
  };
  let h = 0;
  let holder = LOCK_HOLDERS[0]!;
  let rev = await until(
    () => kv.create(LOCK_KEY, value(holder)),
    (c) => c.holder === holder,
  );
  out.push({ kind: "acquire", holder, previous_holder: null });
  const changes = [...schedule.lockChanges];
  while (!stopped()) {
    const next = changes[0];
    if (next && Date.now() >= runStart + next.at_ms) {
      changes.shift();
      const nextHolder = LOCK_HOLDERS[++h % LOCK_HOLDERS.length]!;
      const before = rev;
      if (next.mode === "failover") {
        // the holder dies: no renew for longer than its lease, then the next one takes the lock over
        await sleep(LOCK_TTL_S * 1000 + 1_000);
        rev = await until(
          () => kv.update(LOCK_KEY, value(nextHolder), before),
          (c) => c.holder === nextHolder,
        );
        out.push({ kind: "failover", holder: nextHolder, previous_holder: holder });
      } else {
        await until(
          () => kv.delete(LOCK_KEY, { previousSeq: before }),
          (c) => c.holder === null,
        );
        out.push({ kind: "release", holder: null, previous_holder: holder });
        rev = await until(
          () => kv.create(LOCK_KEY, value(nextHolder)),
          (c) => c.holder === nextHolder,
        );
        out.push({ kind: "handover", holder: nextHolder, previous_holder: holder });
      }
      log(`lock: ${next.mode} ${holder} → ${nextHolder}`);
      holder = nextHolder;
      continue;
    }
    try {
      rev = await kv.update(LOCK_KEY, value(holder), rev);
    } catch {
      try {
        const c = await current();
        if (c.holder === holder) rev = c.revision;
      } catch {
        // retried on the next renew
      }
    }
    await sleep(1_000);
  }
}

const getJson = async <T>(url: string): Promise<T> => {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`${res.status} ${(await res.text()).slice(0, 200)}`);
  return (await res.json()) as T;
};
const iso = (t: number) => new Date(t).toISOString();
const fail = (name: string, replica: string, expected: string, err: unknown): CheckResult => ({
  name,
  replica,
  ok: false,
  expected,
  got: `error: ${(err as Error).message.slice(0, 200)}`,
});

interface SummaryWire {
  summary?: {
    complete: boolean;
    stats: {
      total: number;
      malformed: number;
      handlers: Record<string, { total: number; errored: number; severity: Record<string, number>; kinds: Record<string, number> }>;
      groups: { handler_id: string; exception: string; count: number }[];
    };
  };
}

async function checkOutcomes(base: string, replica: string, exp: ExpectedOutcomes, from: number, to: number): Promise<CheckResult> {
  const name = "outcome totals, handlers, error groups";
  const expected = `total ${exp.total}, ${Object.keys(exp.handlers).length} handlers, ${Object.keys(exp.groups).length} groups exact`;
  try {
    const body = await getJson<SummaryWire>(`${base}/api/outcomes?from=${iso(from)}&to=${iso(to)}&limit=1`);
    const s = body.summary;
    if (!s) return { name, replica, ok: false, expected, got: "no summary in the answer" };
    const diffs: string[] = [];
    if (!s.complete) diffs.push("summary incomplete");
    if (s.stats.total !== exp.total) diffs.push(`total ${s.stats.total}`);
    if (s.stats.malformed !== 0) diffs.push(`malformed ${s.stats.malformed}`);
    for (const [h, e] of Object.entries(exp.handlers)) {
      const g = s.stats.handlers[h];
      if (!g) {
        diffs.push(`${h} missing`);
        continue;
      }
      if (g.total !== e.total) diffs.push(`${h} total ${g.total}≠${e.total}`);
      if (g.errored !== e.errored) diffs.push(`${h} errored ${g.errored}≠${e.errored}`);
      for (const [k, v] of Object.entries(e.severity))
        if ((g.severity[k] ?? 0) !== v) diffs.push(`${h} severity ${k} ${g.severity[k] ?? 0}≠${v}`);
      for (const [k, v] of Object.entries(e.kinds)) if ((g.kinds[k] ?? 0) !== v) diffs.push(`${h} kind ${k} ${g.kinds[k] ?? 0}≠${v}`);
    }
    for (const h of Object.keys(s.stats.handlers)) if (!exp.handlers[h]) diffs.push(`unexpected handler ${h}`);
    const groups = new Map<string, number>();
    for (const g of s.stats.groups) {
      const type = CHAOS_EXCEPTIONS.find((t) => g.exception.startsWith(`${t}:`)) ?? g.exception;
      const key = `${g.handler_id} ${type}`;
      groups.set(key, (groups.get(key) ?? 0) + g.count);
      if (groups.get(key) !== g.count) diffs.push(`${key} split into several groups`);
    }
    for (const [k, v] of Object.entries(exp.groups)) if ((groups.get(k) ?? 0) !== v) diffs.push(`group ${k} ${groups.get(k) ?? 0}≠${v}`);
    for (const k of groups.keys()) if (!(k in exp.groups)) diffs.push(`unexpected group ${k}`);
    return {
      name,
      replica,
      ok: diffs.length === 0,
      expected,
      got:
        diffs.length === 0
          ? `total ${s.stats.total}, all equal`
          : diffs.slice(0, 6).join("; ") + (diffs.length > 6 ? ` (+${diffs.length - 6})` : ""),
    };
  } catch (err) {
    return fail(name, replica, expected, err);
  }
}

interface TimelineWire {
  entries: (
    | { source: "lock"; transition: { bucket: string; key: string; kind: string; holder: string | null; previous_holder: string | null } }
    | { source: "jetstream" }
  )[];
  truncated: boolean;
}

async function checkFailover(base: string, replica: string, exp: ExpectedTransition[], from: number, to: number): Promise<CheckResult> {
  const name = "lock transitions on the Failover timeline, once each";
  const show = (t: ExpectedTransition) => `${t.kind}:${t.previous_holder ?? "-"}→${t.holder ?? "-"}`;
  const expected = `${exp.length} (${exp.filter((t) => t.kind === "failover").length} failovers, ${exp.filter((t) => t.kind === "handover").length} handovers)`;
  try {
    const body = await getJson<TimelineWire>(
      `${base}/api/failover/timeline?from=${iso(from - 1_000)}&to=${iso(to + 1_000)}&key=${LOCK_KEY}&limit=20000`,
    );
    const got = body.entries.flatMap((e) =>
      e.source === "lock" &&
      e.transition.bucket === LOCK_BUCKET &&
      ["acquire", "failover", "handover", "release", "expired"].includes(e.transition.kind)
        ? [
            show({
              kind: e.transition.kind as ExpectedTransition["kind"],
              holder: e.transition.holder,
              previous_holder: e.transition.previous_holder,
            }),
          ]
        : [],
    );
    const want = exp.map(show);
    const same = got.length === want.length && got.every((g, i) => g === want[i]);
    let detail = `${got.length}, all in order`;
    if (!same) {
      const i = want.findIndex((w, k) => got[k] !== w);
      const at = i < 0 ? want.length : i;
      detail = `${got.length}; first difference at #${at}: expected ${want[at] ?? "(end)"}, got ${got[at] ?? "(end)"}`;
    }
    return { name, replica, ok: same && !body.truncated, expected, got: detail };
  } catch (err) {
    return fail(name, replica, expected, err);
  }
}

interface FindingWire {
  id: string;
  state: "open" | "resolved";
  since: string;
  resolved_at: string | null;
  severity: string;
}

/**
 * A finding's alerts by severity label, in the order Alertmanager got them: a severity change resolves the alert of
 * the old severity and fires one of the new (lib/alerts/payloads.ts), and firing alerts are re-sent on refresh —
 * so each severity's sends must end resolved, with exactly one resolve after each stretch of firing.
 */
function resolvedOncePerEpisode(id: string, sends: readonly { endsAt?: string; labels: Record<string, string> }[]): string[] {
  const problems: string[] = [];
  const bySeverity = new Map<string, boolean[]>();
  for (const a of sends) bySeverity.set(a.labels.severity ?? "", [...(bySeverity.get(a.labels.severity ?? "") ?? []), Boolean(a.endsAt)]);
  for (const [severity, resolvedFlags] of bySeverity) {
    if (resolvedFlags.at(-1) !== true) problems.push(`${id} (${severity}) not resolved`);
    const repeats = resolvedFlags.filter((resolved, i) => resolved && resolvedFlags[i - 1] === true).length;
    if (repeats > 0) problems.push(`${id} (${severity}) resolved ${repeats + 1}× in a row`);
  }
  return problems;
}

async function checkFindings(
  base: string,
  replica: string,
  rec: AlertRecorder,
  from: number,
  to: number,
  exp: ExpectedOutcomes,
): Promise<{ check: CheckResult; seen: number; listed: ChaosResult["findings"] }> {
  const name = "findings alerted once, resolved once (Alertmanager)";
  // The workload's own: a handler erroring ≥ 10 % from its first outcome, with no minutes before to compare, is an
  // error spike by design (lib/outcomes/stats.ts erroredRatioJumped, empty baseline); it stays open until its
  // recent window (5 min) has passed, longer than the run. It must be alerted once and stay open through every fault.
  const workloadOpen = Object.entries(exp.handlers)
    .filter(([, h]) => h.errored >= 3 && h.errored / h.total >= 0.1)
    .map(([h]) => `handler_error_spike:handler:${h}`);
  const expected = `each finding opened in the run: 1 alert, 1 resolve, none open; the workload's ${workloadOpen.join(", ")} open, alerted once`;
  try {
    const body = await getJson<{ findings: FindingWire[] }>(`${base}/api/findings?state=all`);
    const problems: string[] = [];
    for (const id of workloadOpen) {
      const mine = body.findings.filter((f) => f.id === id);
      const alerts = rec.batches.flatMap((b) => b.alerts.filter((a) => a.labels.finding_id === id));
      if (mine.length !== 1 || mine[0]!.state !== "open") problems.push(`${id}: ${mine.map((f) => f.state).join(", ") || "never raised"}`);
      else if (alerts.some((a) => a.endsAt || a.startsAt !== mine[0]!.since)) problems.push(`${id} alerted more than once or resolved`);
      else if (alerts.length === 0) problems.push(`${id} never alerted`);
    }
    const opened = body.findings.filter((f) => Date.parse(f.since) >= from && Date.parse(f.since) <= to && !workloadOpen.includes(f.id));
    for (const f of opened) {
      if (f.state !== "resolved") {
        problems.push(`${f.id} still open`);
        continue;
      }
      const mine = rec.batches.flatMap((b) => b.alerts.filter((a) => a.labels.finding_id === f.id && a.startsAt === f.since));
      if (!mine.some((a) => !a.endsAt)) problems.push(`${f.id} never alerted`);
      problems.push(...resolvedOncePerEpisode(f.id, mine));
    }
    // Alerted once: no other alert instance (another startsAt) of a finding than its openings busdeck lists.
    const known = new Set(body.findings.map((f) => `${f.id}@${f.since}`));
    const strays = new Set(
      rec.batches.flatMap((b) =>
        b.alerts
          .filter((a) => Date.parse(a.startsAt ?? "") >= from && !known.has(`${a.labels.finding_id}@${a.startsAt}`))
          .map((a) => `${a.labels.finding_id}@${a.startsAt}`),
      ),
    );
    for (const s of strays) problems.push(`alert ${s} is no finding busdeck lists`);
    return {
      seen: opened.length,
      listed: opened.map((f) => ({
        id: f.id,
        state: f.state,
        since_ms: Date.parse(f.since) - from,
        resolved_ms: f.resolved_at ? Date.parse(f.resolved_at) - from : null,
      })),
      check: checkOf(name, replica, expected, problems, `${opened.length} findings, each once`),
    };
  } catch (err) {
    return { seen: 0, listed: [], check: fail(name, replica, expected, err) };
  }
}

/** What the history check needs of a sample a replica shows: when it was taken, whether it has the work stream's rates. */
interface SeenSample {
  t: number;
  has_work: boolean;
}

/** The sample the replica at `port` shows now (its streams snapshot); null when it does not answer. */
async function shownSample(port: number): Promise<SeenSample | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/topics/streams`, { signal: AbortSignal.timeout(2_000) });
    const snap = (await res.json()) as {
      sampled_at?: string | null;
      streams?: { name: string; rates: unknown }[];
    };
    if (!snap.sampled_at) return null;
    const work = snap.streams?.find((x) => x.name === WORK_STREAM);
    return { t: Date.parse(snap.sampled_at), has_work: !!work?.rates };
  } catch {
    return null;
  }
}

const stepOf = (t: number) => Math.floor(t / HISTORY_STEP_MS);
const at = (t: number, from: number) => `+${((t - from) / 1000).toFixed(1)} s`;

/**
 * Persisted history is one point per step: the last sample the sampler took in it. So every step with a sample
 * that had the work stream's rates (seen on any replica) must have its point — a missing one is a lost write; a
 * sample without them (a node down: the list left the stream out) has nothing to persist for it. A step without
 * any sample is allowed only where a fault explains it: consecutive samples more than 1.5 steps apart must
 * overlap a fault and be at most MAX_NO_SAMPLE_MS apart.
 */
async function checkHistory(
  base: string,
  replica: string,
  from: number,
  to: number,
  nodeDown: { from: number; to: number | null; node: number }[],
  sampled: ReadonlyMap<number, SeenSample>,
  faults: InjectedFault[],
): Promise<CheckResult> {
  const name = "persisted history: a point for every sampled step; steps without a sample only in a fault";
  const expected = `points every ${HISTORY_STEP_MS / 1000} s over the run (stream and consumer)`;
  // The first steps after start may precede the first sample with a rate; the last may not be closed yet.
  const lo = from + 3 * HISTORY_STEP_MS;
  const hi = to - 2 * HISTORY_STEP_MS;
  const allDown = wholeClusterDown(nodeDown);
  const faultAt = faults.map((f) => ({ from: from + f.injected_ms, to: from + (f.restored_ms ?? f.injected_ms) + SAMPLE_POLL_MS * 2 }));
  const samples = [...sampled.keys()].filter((t) => t >= lo - HISTORY_STEP_MS && t <= hi + HISTORY_STEP_MS).sort((a, b) => a - b);
  try {
    const problems: string[] = [];
    const unsampled: string[] = [];
    for (let i = 1; i < samples.length; i++) {
      const [a, b] = [samples[i - 1]!, samples[i]!];
      if (b - a <= HISTORY_STEP_MS * 1.5) continue;
      const inFault = faultAt.some((f) => f.from < b && f.to > a) || allDown.some((d) => d.from < b && d.to > a);
      if (inFault && b - a <= MAX_NO_SAMPLE_MS) unsampled.push(`${((b - a) / 1000).toFixed(1)} s at ${at(a, from)}`);
      else problems.push(`no sample for ${((b - a) / 1000).toFixed(1)} s from ${at(a, from)}${inFault ? "" : " (no fault)"}`);
    }
    if (samples.length === 0) problems.push("no sample seen during the run");
    // Steps with a sample that had the work stream's rates: each must have its point.
    const sampledSteps = new Set(samples.filter((t) => t >= lo && t <= hi && sampled.get(t)!.has_work).map(stepOf));
    let n = 0;
    for (const path of [`/api/streams/${WORK_STREAM}/history`, `/api/consumers/${WORK_STREAM}/steady/history`]) {
      const body = await getJson<{ points: { t: number }[]; complete: boolean }>(`${base}${path}?from=${iso(from)}&to=${iso(to)}`);
      n += body.points.length;
      const steps = new Set(body.points.map((p) => stepOf(p.t)));
      const lost = [...sampledSteps].filter((s) => !steps.has(s)).sort((a, b) => a - b);
      if (lost.length > 0)
        problems.push(`${path}: ${lost.length} sampled step(s) without a point, first at ${at(lost[0]! * HISTORY_STEP_MS, from)}`);
    }
    const allHeld = `${n} points, one per sampled step` + (unsampled.length > 0 ? `; no sample for ${unsampled.join(", ")} (faults)` : "");
    return checkOf(name, replica, expected, problems, allHeld);
  } catch (err) {
    return fail(name, replica, expected, err);
  }
}

/** Moments every node was down at once (the schedule never does it; counted anyway should it change). */
function wholeClusterDown(down: { from: number; to: number | null; node: number }[]): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (const d of down) {
    const to = d.to ?? Date.now();
    const others = [0, 1, 2].filter((n) => n !== d.node);
    let lo = d.from;
    let hi = to;
    for (const o of others) {
      const overlap = down.find((x) => x.node === o && x.from < hi && (x.to ?? Date.now()) > lo);
      if (!overlap) return out;
      lo = Math.max(lo, overlap.from);
      hi = Math.min(hi, overlap.to ?? Date.now());
    }
    if (hi > lo) out.push({ from: lo, to: hi });
  }
  return out;
}

/** RSS of a live process; null once it is gone (killed by a fault between two samples). */
function readRss(pid: number): number | null {
  try {
    return rssMiB(pid);
  } catch {
    return null;
  }
}

/** RSS at the end within 10 % of RSS 5 minutes into the process's life: for processes that lived ≥ 10 minutes. */
function checkRss(r: Replica, durationMs: number): CheckResult {
  const name = "RSS at the end within 10 % of RSS at 5 min";
  const expected = "|end − 5 min| ≤ 10 %";
  if (durationMs < 10 * 60_000) return { name, replica: r.name, ok: true, na: true, expected, got: "not applicable (run < 10 min)" };
  const pid = r.app?.pid;
  const mine = r.rss.filter((s) => s.pid === pid);
  const end = (pid && readRss(pid)) || 0;
  const at5 = mine.find((s) => s.t >= r.startedAt + 5 * 60_000);
  if (!at5 || Date.now() - r.startedAt < 10 * 60_000)
    return {
      name,
      replica: r.name,
      ok: true,
      na: true,
      expected,
      got: `not applicable (process up ${((Date.now() - r.startedAt) / 60_000).toFixed(1)} min)`,
    };
  const ratio = end / at5.mib;
  return {
    name,
    replica: r.name,
    ok: Math.abs(ratio - 1) <= 0.1,
    expected,
    got: `${at5.mib.toFixed(0)} → ${end.toFixed(0)} MiB (${((ratio - 1) * 100).toFixed(1)} %)`,
  };
}
