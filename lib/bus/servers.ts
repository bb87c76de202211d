/**
 * The Servers view's state: every server of the bus as the last samples saw it, folded sample by sample.
 * A server that answered garbage keeps its last figures, marked stale with the error; one that stops answering
 * is stale after one sample and down after DOWN_AFTER_MISSED. Rates come from the servers' own counters.
 * Pure: the sample carries its time.
 */
import { parseGoDuration, type Reply, type ServerReplies } from "./replies";
import { evaluateServerHealth, type BusVerdict } from "./health";

/** Consecutive samples without any answer after which a server reads down. */
export const DOWN_AFTER_MISSED = 2;
/** A server gone this many samples is dropped from the view (a decommissioned node must not stay forever). */
export const FORGET_AFTER_MISSED = 3_600;

export type BusSource = "system" | "monitor";
export type ServerState = "up" | "stale" | "down";

/** What one sample saw of one server: its replies by kind (some may have failed), or none at all. */
export interface ObservedServer {
  /**
   * The server's name (server_name, stable across restarts, unlike its id); an HTTP source names a server by its
   * URL until its VARZ told the name.
   */
  key: string;
  /** Its current server id, which routes name their peers by. */
  id?: string;
  name?: string;
  cluster?: string;
  host?: string;
  /**
   * Keys it was listed under before it told its name (an HTTP source's URL, while its VARZ had not answered): a row
   * under one of them is the same server, carried over rather than left behind as a second, silent server.
   */
  aliases?: string[];
  /** It answered, even if nothing it said could be read (garbage): stale, not missing. */
  reachable: boolean;
  replies: ServerReplies;
}

export interface BusSample {
  at: number;
  source: BusSource;
  servers: ObservedServer[];
  /** The sample as a whole failed (the system connection is down): every known server missed it. */
  error?: string;
}

export interface Counters {
  in_msgs: number;
  out_msgs: number;
  in_bytes: number;
  out_bytes: number;
  /** When the server counted them (its VARZ `now`), ms. */
  at: number;
}

export type Rates = Omit<Counters, "at">;

export interface BusLink {
  /** The peer: a server name where known, else what the server reported (an id, a gateway or leafnode name). */
  name: string;
  up: boolean;
  rtt_ms: number | null;
  pending_bytes: number | null;
  detail?: string;
}

export interface JetStreamUsage {
  memory: number;
  storage: number;
  max_memory: number | null;
  max_storage: number | null;
  reserved_memory: number | null;
  reserved_storage: number | null;
  meta_leader: string | null;
  cluster_size: number | null;
  streams: number | null;
  consumers: number | null;
}

export interface BusServerRow {
  id: string;
  name: string;
  cluster: string | null;
  gateway: string | null;
  host: string | null;
  version: string | null;
  state: ServerState;
  /** Why the reading is stale or down: the failed replies, or the missed samples. */
  error: string | null;
  /** Consecutive samples this server did not answer at all. */
  missed: number;
  last_seen: string | null;
  started: string | null;
  cpu: number | null;
  mem_bytes: number | null;
  cores: number | null;
  connections: number | null;
  subscriptions: number | null;
  slow_consumers: number | null;
  /** When the slow-consumer count last went up (ms), for the "rising" rule. */
  slow_consumers_rose_at: number | null;
  /** The count before that rise. */
  slow_consumers_before: number | null;
  rates: Rates | null;
  counters: Counters | null;
  routes: BusLink[];
  gateways: BusLink[];
  leafnodes: BusLink[];
  jetstream: JetStreamUsage | null;
  healthz: { status: string; error: string | null } | null;
  health: BusVerdict;
}

/** What every bus snapshot (servers, connections) says about its sampling. */
export interface BusSampleHeader {
  /** Where the readings come from; null: nothing configured (`configure` says what to set). */
  source: BusSource | null;
  configure: string | null;
  sampled_at: string | null;
  /** Samples taken so far, for "down within 2 samples" and for tests that wait for a sample. */
  samples: number;
  sample_error: string | null;
}

export interface BusServersSnapshot extends BusSampleHeader {
  meta_leader: string | null;
  /** The previous meta leader and when it changed, ms. */
  meta_leader_changed_at: number | null;
  meta_leader_before: string | null;
  servers: BusServerRow[];
  /** Rules over the whole bus (version skew, meta-leader change). */
  findings: BusVerdict[];
}

export const CONFIGURE_HINT =
  "Set NATS_SYSTEM_CREDS (or NATS_SYSTEM_USER and NATS_SYSTEM_PASSWORD) for a system-account user, or BUSDECK_MONITOR_URLS " +
  "to the servers' HTTP monitoring endpoints (comma-separated, e.g. http://nats-1:8222,http://nats-2:8222).";

/** The header of a bus snapshot before its first sample. */
export function emptyBusSampleHeader(source: BusSource | null): BusSampleHeader {
  return { source, configure: source ? null : CONFIGURE_HINT, sampled_at: null, samples: 0, sample_error: null };
}

export function emptyBusServersSnapshot(source: BusSource | null): BusServersSnapshot {
  return {
    ...emptyBusSampleHeader(source),
    meta_leader: null,
    meta_leader_changed_at: null,
    meta_leader_before: null,
    servers: [],
    findings: [],
  };
}

/** The next snapshot from the last one and a new sample. */
export function foldBusSample(
  prev: BusServersSnapshot,
  sample: BusSample,
  evaluateBus: (s: BusServersSnapshot, at: number) => BusVerdict[],
): BusServersSnapshot {
  const previous = new Map(prev.servers.map((s) => [s.name, s]));
  const seen = new Map<string, BusServerRow>();
  for (const observed of sample.servers) {
    const alias = observed.aliases?.find((a) => a !== observed.key && previous.has(a));
    const row = foldServer(previous.get(observed.key) ?? (alias ? previous.get(alias) : undefined), observed, sample.at);
    for (const a of observed.aliases ?? []) if (a !== row.name) previous.delete(a);
    seen.set(row.name, row);
  }
  for (const [name, old] of previous)
    if (!seen.has(name) && old.missed + 1 < FORGET_AFTER_MISSED) seen.set(name, missedSample(old, sample.error));
  const names = new Map([...seen.values()].map((s) => [s.id, s.name]));
  const servers = [...seen.values()]
    .map((s) => {
      const named = { ...s, routes: s.routes.map((r) => ({ ...r, name: names.get(r.name) ?? r.name })) };
      const routed = { ...named, routes: withExpectedRoutes(named, seen) };
      return { ...routed, health: evaluateServerHealth(routed, sample.at) };
    })
    .sort((a, b) => (a.cluster ?? "").localeCompare(b.cluster ?? "") || a.name.localeCompare(b.name));
  const leader = metaLeaderOf(servers) ?? prev.meta_leader;
  const changed = prev.meta_leader !== null && leader !== null && leader !== prev.meta_leader;
  const next: BusServersSnapshot = {
    ...prev,
    sampled_at: new Date(sample.at).toISOString(),
    samples: prev.samples + 1,
    sample_error: sample.error ?? null,
    meta_leader: leader,
    meta_leader_changed_at: changed ? sample.at : prev.meta_leader_changed_at,
    meta_leader_before: changed ? prev.meta_leader : prev.meta_leader_before,
    servers,
  };
  return { ...next, findings: evaluateBus(next, sample.at) };
}

const NO_HEALTH: BusVerdict = { status: "OK", rule: "short_window", evidence: "no verdict yet" };

function blankRow(key: string): BusServerRow {
  return {
    id: key,
    name: key,
    cluster: null,
    gateway: null,
    host: null,
    version: null,
    state: "up",
    error: null,
    missed: 0,
    last_seen: null,
    started: null,
    cpu: null,
    mem_bytes: null,
    cores: null,
    connections: null,
    subscriptions: null,
    slow_consumers: null,
    slow_consumers_rose_at: null,
    slow_consumers_before: null,
    rates: null,
    counters: null,
    routes: [],
    gateways: [],
    leafnodes: [],
    jetstream: null,
    healthz: null,
    health: NO_HEALTH,
  };
}

function missedSample(old: BusServerRow, sampleError: string | undefined): BusServerRow {
  const missed = old.missed + 1;
  const why = sampleError ?? `no answer in the last ${missed} sample${missed === 1 ? "" : "s"}`;
  // Its links are unknown while it does not answer: shown down rather than as last seen.
  const down = (links: BusLink[]) => links.map((l) => ({ ...l, up: false, rtt_ms: null, pending_bytes: null }));
  return {
    ...old,
    missed,
    state: missed >= DOWN_AFTER_MISSED ? "down" : "stale",
    error: why,
    rates: null,
    routes: missed >= DOWN_AFTER_MISSED ? down(old.routes) : old.routes,
    gateways: missed >= DOWN_AFTER_MISSED ? down(old.gateways) : old.gateways,
    leafnodes: missed >= DOWN_AFTER_MISSED ? [] : old.leafnodes,
  };
}

function foldServer(old: BusServerRow | undefined, observed: ObservedServer, at: number): BusServerRow {
  const r = observed.replies;
  const errors = Object.values(r.errors);
  const answered = r.VARZ || r.ROUTEZ || r.GATEWAYZ || r.LEAFZ || r.JSZ || r.HEALTHZ;
  const base = old ?? blankRow(observed.key);
  if (!answered && !observed.reachable) return missedSample(base, errors.join("; ") || undefined);
  let row: BusServerRow = {
    ...base,
    id: r.VARZ?.server_id ?? observed.id ?? base.id,
    name: r.VARZ?.server_name ?? observed.name ?? base.name,
    cluster: r.VARZ?.cluster?.name ?? observed.cluster ?? base.cluster,
    host: observed.host ?? base.host,
    missed: 0,
    last_seen: new Date(at).toISOString(),
    state: errors.length > 0 ? "stale" : "up",
    error: errors.length > 0 ? errors.join("; ") : null,
  };
  if (r.VARZ) row = applyVarz(row, r.VARZ, at);
  else row = { ...row, rates: null };
  if (r.ROUTEZ)
    row.routes = (r.ROUTEZ.routes ?? []).map((route) => ({
      name: route.remote_id,
      up: true,
      rtt_ms: parseGoDuration(route.rtt),
      pending_bytes: route.pending_size ?? null,
    }));
  if (r.GATEWAYZ) row.gateways = gatewayLinks(r.GATEWAYZ);
  if (r.LEAFZ)
    row.leafnodes = (r.LEAFZ.leafs ?? []).map((l) => ({
      name: l.name || `${l.ip ?? "?"}:${l.port ?? "?"}`,
      up: true,
      rtt_ms: parseGoDuration(l.rtt),
      pending_bytes: l.pending_bytes ?? null,
      detail: l.account,
    }));
  if (r.JSZ) row.jetstream = jetStreamFromJsz(r.JSZ);
  if (r.HEALTHZ) row.healthz = { status: r.HEALTHZ.status, error: r.HEALTHZ.error ?? null };
  return row;
}

function applyVarz(row: BusServerRow, v: Reply<"VARZ">, at: number): BusServerRow {
  const countedAt = v.now ? Date.parse(v.now) : at;
  const counters: Counters = {
    in_msgs: v.in_msgs,
    out_msgs: v.out_msgs,
    in_bytes: v.in_bytes,
    out_bytes: v.out_bytes,
    at: Number.isFinite(countedAt) ? countedAt : at,
  };
  const rose = row.slow_consumers !== null && v.slow_consumers > row.slow_consumers;
  return {
    ...row,
    version: v.version,
    gateway: v.gateway?.name || null,
    started: v.start ?? null,
    cpu: v.cpu ?? null,
    mem_bytes: v.mem ?? null,
    cores: v.cores ?? null,
    connections: v.connections,
    subscriptions: v.subscriptions,
    slow_consumers: v.slow_consumers,
    slow_consumers_rose_at: rose ? at : row.slow_consumers_rose_at,
    slow_consumers_before: rose ? row.slow_consumers : row.slow_consumers_before,
    rates: ratesBetween(row.counters, counters),
    counters,
    jetstream: row.jetstream ?? jetStreamFromVarz(v),
  };
}

/** Per-second rates between two readings of the same counters; null across a restart (a counter went back). */
export function ratesBetween(prev: Counters | null, next: Counters): Rates | null {
  if (!prev) return null;
  const seconds = (next.at - prev.at) / 1000;
  if (!(seconds > 0)) return null;
  const keys = ["in_msgs", "out_msgs", "in_bytes", "out_bytes"] as const;
  if (keys.some((k) => next[k] < prev[k])) return null;
  return Object.fromEntries(keys.map((k) => [k, (next[k] - prev[k]) / seconds])) as Rates;
}

function gatewayLinks(g: Reply<"GATEWAYZ">): BusLink[] {
  return Object.entries(g.outbound_gateways ?? {}).map(([name, out]) => ({
    name,
    up: Boolean(out.connection),
    rtt_ms: parseGoDuration(out.connection?.rtt),
    pending_bytes: out.connection?.pending_bytes ?? null,
    detail: out.configured ? "configured" : "discovered",
  }));
}

const positiveOrNull = (n: number | undefined) => (n && n > 0 ? n : null);

function jetStreamFromJsz(j: Reply<"JSZ">): JetStreamUsage {
  return {
    memory: j.memory,
    storage: j.storage,
    max_memory: positiveOrNull(j.config?.max_memory),
    max_storage: positiveOrNull(j.config?.max_storage),
    reserved_memory: j.reserved_memory ?? null,
    reserved_storage: j.reserved_storage ?? null,
    meta_leader: j.meta_cluster?.leader || null,
    cluster_size: j.meta_cluster?.cluster_size ?? null,
    streams: j.streams ?? null,
    consumers: j.consumers ?? null,
  };
}

function jetStreamFromVarz(v: Reply<"VARZ">): JetStreamUsage | null {
  const js = v.jetstream;
  if (!js?.stats) return null;
  return {
    memory: js.stats.memory,
    storage: js.stats.storage,
    max_memory: positiveOrNull(js.config?.max_memory),
    max_storage: positiveOrNull(js.config?.max_storage),
    reserved_memory: js.stats.reserved_memory ?? null,
    reserved_storage: js.stats.reserved_storage ?? null,
    meta_leader: js.meta?.leader || null,
    cluster_size: js.meta?.cluster_size ?? null,
    streams: null,
    consumers: null,
  };
}

/**
 * Every other known server of the same cluster should be routed to: one it has no route to is shown as a
 * down route (ROUTEZ lists only the routes that are up). Routes to servers busdeck does not know stay as listed.
 */
function withExpectedRoutes(server: BusServerRow, all: Map<string, BusServerRow>): BusLink[] {
  if (server.state === "down" || !server.cluster) return server.routes;
  const peers = [...all.values()].filter((s) => s.id !== server.id && s.cluster === server.cluster);
  const listed = new Map(server.routes.map((r) => [r.name, r]));
  const expected = peers.map((p) => listed.get(p.name) ?? { name: p.name, up: false, rtt_ms: null, pending_bytes: null });
  const unknown = server.routes.filter((r) => !peers.some((p) => p.name === r.name));
  return [...expected, ...unknown].sort((a, b) => a.name.localeCompare(b.name));
}

/** The meta leader most answering servers name. */
function metaLeaderOf(servers: BusServerRow[]): string | null {
  const votes = new Map<string, number>();
  for (const s of servers) {
    const leader = s.state !== "down" ? s.jetstream?.meta_leader : null;
    if (leader) votes.set(leader, (votes.get(leader) ?? 0) + 1);
  }
  return [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}
