/**
 * A bus server's history for its page's charts: one point per sample in memory (the recent window), one per step
 * in busdeck's persisted history (lib/time/persisted-history.ts, subject `<prefix>.history.servers`). A server
 * that does not answer has no figures: its points carry the state and nulls, so its lines stop where it was
 * last seen instead of repeating its last reading. Pure.
 */
import { z } from "zod";
import type { BusServerRow, BusServersSnapshot, ServerState } from "./servers";

export const SERVER_HISTORY_VERSION = 1;

export interface ServerHistoryPoint {
  /** sample time, epoch ms */
  t: number;
  state: ServerState;
  cpu: number | null;
  mem_bytes: number | null;
  connections: number | null;
  slow_consumers: number | null;
  in_msgs_per_s: number | null;
  out_msgs_per_s: number | null;
  in_bytes_per_s: number | null;
  out_bytes_per_s: number | null;
  js_memory: number | null;
  js_storage: number | null;
}

/** The figures of a point, in the order a stored row holds them after its name and state. */
const FIGURES = [
  "cpu",
  "mem_bytes",
  "connections",
  "slow_consumers",
  "in_msgs_per_s",
  "out_msgs_per_s",
  "in_bytes_per_s",
  "out_bytes_per_s",
  "js_memory",
  "js_storage",
] as const satisfies readonly (keyof ServerHistoryPoint)[];

type Figure = (typeof FIGURES)[number];

const SERVER_STATES = ["up", "stale", "down"] as const satisfies readonly ServerState[];

/** [name, state, ...FIGURES] */
export type ServerHistoryRow = [string, ServerState, ...(number | null)[]];

export interface ServerHistoryRecord {
  v: typeof SERVER_HISTORY_VERSION;
  t: number;
  rows: ServerHistoryRow[];
}

const maybe = z.number().nullable();
export const ServerHistoryRecordSchema = z.object({
  v: z.literal(SERVER_HISTORY_VERSION),
  t: z.number(),
  rows: z.array(z.tuple([z.string(), z.enum(SERVER_STATES)]).rest(maybe)),
});

const round = (x: number | null | undefined, digits = 1000) => (x === null || x === undefined ? null : Math.round(x * digits) / digits);

/** What one sample says of one server; a silent server's figures are unknown (null), not its last reading. */
export function serverHistoryPoint(row: BusServerRow, t: number): ServerHistoryPoint {
  // Not answering this sample (stale after one miss, then down): its row still holds the last reading.
  const silent = row.state === "down" || row.missed > 0;
  const known = <T>(v: T | null | undefined): T | null => (silent || v === undefined ? null : v);
  return {
    t,
    state: row.state,
    cpu: known(round(row.cpu)),
    mem_bytes: known(row.mem_bytes),
    connections: known(row.connections),
    slow_consumers: known(row.slow_consumers),
    in_msgs_per_s: known(round(row.rates?.in_msgs)),
    out_msgs_per_s: known(round(row.rates?.out_msgs)),
    in_bytes_per_s: known(round(row.rates?.in_bytes)),
    out_bytes_per_s: known(round(row.rates?.out_bytes)),
    js_memory: known(row.jetstream?.memory),
    js_storage: known(row.jetstream?.storage),
  };
}

/** Every server's point of a snapshot, by name; none before its first sample. */
export function serverHistoryPoints(snap: BusServersSnapshot): { t: number; points: Map<string, ServerHistoryPoint> } | null {
  const t = snap.sampled_at ? Date.parse(snap.sampled_at) : NaN;
  if (Number.isNaN(t)) return null;
  return { t, points: new Map(snap.servers.map((s) => [s.name, serverHistoryPoint(s, t)])) };
}

/** One stored record: every server of the step's sample. */
export function serverHistoryRecord(t: number, points: ReadonlyMap<string, ServerHistoryPoint>): ServerHistoryRecord {
  return {
    v: SERVER_HISTORY_VERSION,
    t,
    rows: [...points].map(([name, p]) => [name, p.state, ...FIGURES.map((f) => p[f])]),
  };
}

/** One server's point from a stored record; null when the record does not name it. */
export function serverPointFromRecord(record: ServerHistoryRecord, name: string): ServerHistoryPoint | null {
  const row = record.rows.find((r) => r[0] === name);
  if (!row) return null;
  const [, state, ...figures] = row;
  const point = { t: record.t, state } as ServerHistoryPoint;
  FIGURES.forEach((f: Figure, i) => (point[f] = figures[i] ?? null));
  return point;
}

/** Appends in place and drops the oldest beyond `capacity`; a repeated or older sample time is ignored. */
export function appendServerPoint(series: ServerHistoryPoint[], p: ServerHistoryPoint, capacity: number): void {
  const last = series.at(-1);
  if (last && p.t <= last.t) return;
  series.push(p);
  if (series.length > capacity) series.splice(0, series.length - capacity);
}

/**
 * Since when a server that is down now has not answered: its last answer, or (never seen, e.g. a monitoring URL
 * that never answered) the first point of the series' trailing run of down points. Null for a server that is not down.
 */
export function downSince(row: Pick<BusServerRow, "state" | "last_seen">, points: readonly ServerHistoryPoint[]): number | null {
  if (row.state !== "down") return null;
  const seen = row.last_seen ? Date.parse(row.last_seen) : NaN;
  if (!Number.isNaN(seen)) return seen;
  let since: number | null = null;
  for (let i = points.length - 1; i >= 0 && points[i]!.state === "down"; i--) since = points[i]!.t;
  return since;
}

/** A server's name in a path: what the servers table names it by (server_name, or a monitoring URL before its VARZ). */
export const ServerNameSchema = z
  .string()
  .min(1, "must not be empty")
  .max(255, "longer than 255 characters")
  .regex(/^\S+$/, "must not contain whitespace");
