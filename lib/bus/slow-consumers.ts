/**
 * Slow-consumer closures counted per client over time. Each sample brings every server's latest closed
 * connections (newest first, bounded); a closure counts once: the first sample whose window holds it. Bounded
 * in clients, in times kept per client and in servers remembered. Pure: times come from the closures.
 */
import { isSlowConsumerReason } from "./connz";

/** Clients tracked; past it, the one cut off longest ago is forgotten. */
export const MAX_SLOW_CLIENTS = 200;
/** Closure times kept per client, newest first ("how often" over the last hour reads them). */
export const RECENT_CLOSURES = 20;
/** Servers (by id: a restarted server starts its connection ids again) whose last window is remembered. */
export const MAX_SERVER_WINDOWS = 64;

/** One closed connection as the server reported it. */
export interface Closure {
  cid: number;
  name: string | null;
  address: string;
  account: string | null;
  reason: string;
  stopped: string | null;
}

export interface SlowConsumerClient {
  /** The connection's name, or its address when it has none. */
  client: string;
  named: boolean;
  account: string | null;
  count: number;
  first_at: string | null;
  last_at: string | null;
  /** The latest closure times, newest first, at most RECENT_CLOSURES. */
  recent: string[];
  last_reason: string;
  last_server: string;
}

export interface SlowConsumerTally {
  clients: SlowConsumerClient[];
  /** Per server id, the ids of the slow closures its last window held: they are not counted again. */
  windows: Record<string, number[]>;
}

export const emptySlowConsumerTally = (): SlowConsumerTally => ({ clients: [], windows: {} });

/** One server's closed connections in one sample. */
export interface ClosedWindow {
  server_id: string;
  server: string;
  closed: readonly Closure[];
}

/** The tally after one sample's windows; servers that did not answer keep their last window. */
export function tallySlowConsumers(prev: SlowConsumerTally, windows: readonly ClosedWindow[]): SlowConsumerTally {
  const clients = new Map(prev.clients.map((c) => [c.client, c]));
  const nextWindows: Record<string, number[]> = { ...prev.windows };
  for (const w of windows) {
    const seen = new Set(prev.windows[w.server_id] ?? []);
    const slow = w.closed.filter((c) => isSlowConsumerReason(c.reason));
    // Oldest first, so a client's newest closure is applied last.
    for (const c of [...slow].reverse())
      if (!seen.has(c.cid)) clients.set(clientOf(c), countClosure(clients.get(clientOf(c)), c, w.server));
    delete nextWindows[w.server_id];
    nextWindows[w.server_id] = slow.map((c) => c.cid);
  }
  return { clients: boundClients([...clients.values()]), windows: boundWindows(nextWindows) };
}

const clientOf = (c: Closure) => c.name || c.address;

function countClosure(old: SlowConsumerClient | undefined, c: Closure, server: string): SlowConsumerClient {
  const at = c.stopped;
  const recent = at ? [at, ...(old?.recent ?? [])].sort(byTimeDesc).slice(0, RECENT_CLOSURES) : (old?.recent ?? []);
  return {
    client: clientOf(c),
    named: Boolean(c.name),
    account: c.account ?? old?.account ?? null,
    count: (old?.count ?? 0) + 1,
    first_at: earliest(old?.first_at ?? null, at),
    last_at: recent[0] ?? old?.last_at ?? null,
    recent,
    last_reason: c.reason,
    last_server: server,
  };
}

const timeOf = (iso: string | null) => (iso ? Date.parse(iso) : Number.NEGATIVE_INFINITY);
const byTimeDesc = (a: string, b: string) => timeOf(b) - timeOf(a);
const earliest = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : timeOf(a) <= timeOf(b) ? a : b);

/** Most recently cut off first; the rest forgotten past MAX_SLOW_CLIENTS. */
function boundClients(clients: SlowConsumerClient[]): SlowConsumerClient[] {
  return clients.sort((a, b) => timeOf(b.last_at) - timeOf(a.last_at) || a.client.localeCompare(b.client)).slice(0, MAX_SLOW_CLIENTS);
}

/** The windows most recently written are last (insertion order): the oldest go first. */
function boundWindows(windows: Record<string, number[]>): Record<string, number[]> {
  const entries = Object.entries(windows);
  return Object.fromEntries(entries.slice(Math.max(0, entries.length - MAX_SERVER_WINDOWS)));
}

/** How many of a client's kept closure times fall within `windowMs` before `now`. */
export const closuresWithin = (c: SlowConsumerClient, now: number, windowMs: number) =>
  c.recent.filter((t) => now - Date.parse(t) <= windowMs).length;
