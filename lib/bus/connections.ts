/**
 * The Connections view's state: every server's top open connections (by pending bytes) and latest closed
 * ones, folded sample by sample, with message rates from the connections' own counters and the slow-consumer
 * tally (slow-consumers.ts). A server whose reply is garbage keeps its last rows, marked stale with the error;
 * one that stops answering is stale, then down (its open rows go). Pure: the sample carries its time.
 */
import type { ConnInfo, Connz } from "./connz";
import { isSlowConsumerReason } from "./connz";
import { parseGoDuration } from "./replies";
import {
  DOWN_AFTER_MISSED,
  emptyBusSampleHeader,
  type BusSampleHeader,
  FORGET_AFTER_MISSED,
  type BusSource,
  type ServerState,
} from "./servers";
import { emptySlowConsumerTally, tallySlowConsumers, type SlowConsumerClient, type SlowConsumerTally } from "./slow-consumers";

/** What one sample saw of one server's connections: its open and closed lists, each possibly failed. */
export interface ObservedConnz {
  /** The server's name (an HTTP source's URL until its name is known). */
  key: string;
  /** An HTTP source's monitoring URL: the key it had before its name was known. */
  url?: string;
  /** It answered, even if what it said could not be read: stale, not missing. */
  reachable: boolean;
  open?: Connz;
  closed?: Connz;
  errors: string[];
}

export interface ConnectionsSample {
  at: number;
  source: BusSource;
  servers: ObservedConnz[];
  /** The sample as a whole failed: every known server missed it. */
  error?: string;
}

export interface ConnectionRow {
  /** server name and connection id: unique on the bus. */
  key: string;
  server: string;
  cid: number;
  name: string | null;
  address: string;
  account: string | null;
  lang: string | null;
  version: string | null;
  rtt_ms: number | null;
  started: string | null;
  pending_bytes: number;
  subscriptions: number;
  in_msgs: number;
  out_msgs: number;
  in_bytes: number;
  out_bytes: number;
  /** Messages in and out per second since the previous sample; null on its first. */
  msgs_per_s: number | null;
}

export interface ClosedConnectionRow extends ConnectionRow {
  stopped: string | null;
  reason: string;
  slow_consumer: boolean;
}

export interface ConnectionsServerState {
  name: string;
  id: string | null;
  state: ServerState;
  error: string | null;
  missed: number;
  /** The server's own count of open connections (it lists at most CONNZ_LIMIT of them). */
  open_total: number | null;
  closed_total: number | null;
  /** When its open counters were read, ms: the rates' time base. */
  read_at: number | null;
}

export interface BusConnectionsSnapshot extends BusSampleHeader {
  servers: ConnectionsServerState[];
  open: ConnectionRow[];
  closed: ClosedConnectionRow[];
  /** Clients cut off as slow consumers, most recent first. */
  slow_consumers: SlowConsumerClient[];
}

/** The sampler's whole state: the published snapshot and the tally's bookkeeping, which stays server-side. */
export interface ConnectionsFold {
  snapshot: BusConnectionsSnapshot;
  tally: SlowConsumerTally;
}

export function emptyBusConnectionsSnapshot(source: BusSource | null): BusConnectionsSnapshot {
  return {
    ...emptyBusSampleHeader(source),
    servers: [],
    open: [],
    closed: [],
    slow_consumers: [],
  };
}

export const emptyConnectionsFold = (source: BusSource | null): ConnectionsFold => ({
  snapshot: emptyBusConnectionsSnapshot(source),
  tally: emptySlowConsumerTally(),
});

interface ServerRows {
  state: ConnectionsServerState;
  open: ConnectionRow[];
  closed: ClosedConnectionRow[];
}

/** The next state from the last one and a new sample. */
export function foldConnectionsSample(prev: ConnectionsFold, sample: ConnectionsSample): ConnectionsFold {
  const previous = groupByServer(prev.snapshot);
  const next = new Map<string, ServerRows>();
  const windows = [];
  for (const observed of sample.servers) {
    const rows = foldServer(previous.get(observed.key), observed, sample.at);
    next.set(observed.key, rows);
    if (observed.closed && rows.state.id)
      windows.push({ server_id: rows.state.id, server: observed.key, closed: rows.closed.filter((c) => c.slow_consumer) });
  }
  // A server first read under its URL and now under its name (once the servers collector learned it) is the same
  // server, by URL or by id: forgotten, not shown down next to itself.
  const answeredIds = new Set([...next.values()].map((s) => s.state.id).filter((id) => id !== null));
  const namedUrls = new Set(sample.servers.flatMap((o) => (o.url !== undefined && o.url !== o.key ? [o.url] : [])));
  for (const [name, old] of previous) {
    const renamed = namedUrls.has(name) || (old.state.id !== null && answeredIds.has(old.state.id));
    if (!next.has(name) && !renamed && old.state.missed + 1 < FORGET_AFTER_MISSED) next.set(name, missed(old, sample.error));
  }
  const servers = [...next.values()].sort((a, b) => a.state.name.localeCompare(b.state.name));
  const tally = tallySlowConsumers(prev.tally, windows);
  return {
    tally,
    snapshot: {
      ...prev.snapshot,
      sampled_at: new Date(sample.at).toISOString(),
      samples: prev.snapshot.samples + 1,
      sample_error: sample.error ?? null,
      servers: servers.map((s) => s.state),
      open: servers.flatMap((s) => s.open),
      closed: servers.flatMap((s) => s.closed),
      slow_consumers: tally.clients,
    },
  };
}

function groupByServer(snap: BusConnectionsSnapshot): Map<string, ServerRows> {
  const groups = new Map<string, ServerRows>(snap.servers.map((state) => [state.name, { state, open: [], closed: [] }]));
  for (const row of snap.open) groups.get(row.server)?.open.push(row);
  for (const row of snap.closed) groups.get(row.server)?.closed.push(row);
  return groups;
}

function missed(old: ServerRows, sampleError: string | undefined): ServerRows {
  const count = old.state.missed + 1;
  const down = count >= DOWN_AFTER_MISSED;
  const why = sampleError ?? `no answer in the last ${count} sample${count === 1 ? "" : "s"}`;
  return {
    state: { ...old.state, missed: count, state: down ? "down" : "stale", error: why },
    // A server that is down has no open connections anyone can see; its closed ones stay as history.
    open: down ? [] : old.open,
    closed: old.closed,
  };
}

function foldServer(old: ServerRows | undefined, observed: ObservedConnz, at: number): ServerRows {
  const base: ServerRows = old ?? {
    state: { name: observed.key, id: null, state: "up", error: null, missed: 0, open_total: null, closed_total: null, read_at: null },
    open: [],
    closed: [],
  };
  if (!observed.reachable && !observed.open && !observed.closed) return missed(base, observed.errors.join("; ") || undefined);
  const error = observed.errors.length > 0 ? observed.errors.join("; ") : null;
  const readAt = observed.open?.now ? Date.parse(observed.open.now) : at;
  const state: ConnectionsServerState = {
    ...base.state,
    id: observed.open?.server_id ?? observed.closed?.server_id ?? base.state.id,
    state: error ? "stale" : "up",
    error,
    missed: 0,
    open_total: observed.open?.num_connections ?? base.state.open_total,
    closed_total: observed.closed?.num_connections ?? base.state.closed_total,
    read_at: observed.open ? (Number.isFinite(readAt) ? readAt : at) : base.state.read_at,
  };
  const open = observed.open
    ? openRows(observed.key, observed.open.connections ?? [], new Map(base.open.map((r) => [r.key, r])), base.state.read_at, state.read_at!)
    : base.open;
  const closedBefore = new Map(base.closed.map((r) => [r.key, r]));
  const closed = observed.closed
    ? (observed.closed.connections ?? []).map((c) => {
        const row = closedRow(observed.key, c);
        return unlessSame(closedBefore.get(row.key), row);
      })
    : base.closed;
  return { state, open, closed };
}

function openRows(server: string, conns: readonly ConnInfo[], before: Map<string, ConnectionRow>, prevAt: number | null, at: number) {
  const seconds = prevAt !== null ? (at - prevAt) / 1000 : 0;
  return conns.map((c) => {
    const row = baseRow(server, c);
    const old = before.get(row.key);
    const moved = old && old.started === row.started && seconds > 0 ? row.in_msgs + row.out_msgs - (old.in_msgs + old.out_msgs) : null;
    return unlessSame(old, { ...row, msgs_per_s: moved !== null && moved >= 0 ? moved / seconds : null });
  });
}

/** Rows are flat records of strings, numbers and booleans: equal when every field is. */
export function sameConnectionRow(a: ConnectionRow | ClosedConnectionRow, b: ConnectionRow | ClosedConnectionRow): boolean {
  if (a === b) return true;
  const fields = Object.keys(a) as (keyof typeof a)[];
  if (fields.length !== Object.keys(b).length) return false;
  for (const f of fields) if (a[f] !== b[f]) return false;
  return true;
}

/** The previous sample's row when nothing of it changed: the same object, so the hub's diff and views skip it. */
const unlessSame = <R extends ConnectionRow>(old: R | undefined, row: R): R => (old && sameConnectionRow(old, row) ? old : row);

function baseRow(server: string, c: ConnInfo): ConnectionRow {
  return {
    key: `${server}:${c.cid}`,
    server,
    cid: c.cid,
    name: c.name || null,
    address: c.port !== undefined ? `${c.ip ?? "?"}:${c.port}` : (c.ip ?? "?"),
    account: c.account || null,
    lang: c.lang || null,
    version: c.version || null,
    rtt_ms: parseGoDuration(c.rtt),
    started: c.start ?? null,
    pending_bytes: c.pending_bytes,
    subscriptions: c.subscriptions,
    in_msgs: c.in_msgs,
    out_msgs: c.out_msgs,
    in_bytes: c.in_bytes,
    out_bytes: c.out_bytes,
    msgs_per_s: null,
  };
}

function closedRow(server: string, c: ConnInfo): ClosedConnectionRow {
  const reason = c.reason || "unknown";
  return { ...baseRow(server, c), stopped: c.stop ?? null, reason, slow_consumer: isSlowConsumerReason(reason) };
}
