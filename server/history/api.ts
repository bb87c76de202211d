/**
 * The history routes' service. One URL per resource answers two windows: `?range=` reads the in-memory recent
 * samples, `?from=&to=` (either one given) busdeck's persisted history, which is a 503 while it is off or its
 * store cannot be opened.
 */
import "server-only";
import { z } from "zod";
import { HistoryRangeSchema as ConsumerRangeSchema } from "../../lib/consumers/series";
import { DEFAULT_RATE_RANGE, HISTORY_RANGES, StreamNameSchema } from "../../lib/streams/queries";
import { pointsInRange } from "../../lib/streams/rate-history";
import { HistoryRangeQuerySchema } from "../../lib/time/persisted-history";
import { ServerNameSchema } from "../../lib/bus/server-history";
import { NotFoundError, UnavailableError, unavailableOnFailure } from "../errors";
import { parseInput } from "../http";
import { getRuntime } from "../runtime";
import type { HistoryStore } from "./history-store";

export const HistoryQuerySchema = z.object({
  range: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
});
export type HistoryQuery = z.output<typeof HistoryQuerySchema>;

/** The path of /api/consumers/[stream]/[name]/…. */
export const ConsumerParamsSchema = z.object({ stream: StreamNameSchema, name: StreamNameSchema });

const StreamRangeSchema = z.enum(Object.keys(HISTORY_RANGES) as [keyof typeof HISTORY_RANGES]);

const wantsPersisted = (q: HistoryQuery) => q.from !== undefined || q.to !== undefined;

/** One stream's rates: the recent window over ?range= (1m, 5m, 15m), or persisted points in [from, to). */
export async function streamHistory(name: string, q: HistoryQuery, now: number) {
  if (wantsPersisted(q)) return readPersisted(q, (store, from, to) => store.readStream(name, from, to));
  const range = parseInput(StreamRangeSchema, q.range ?? DEFAULT_RATE_RANGE, "range");
  const series = (await getRuntime()).streamHistory.get(name);
  return { stream: name, range, points: pointsInRange(series, HISTORY_RANGES[range], now) };
}

/** One consumer's chart series over ?range= (5m … 24h), or persisted points (lag, rates, status) in [from, to). */
export async function consumerHistory(stream: string, name: string, q: HistoryQuery, now: number) {
  if (wantsPersisted(q)) return readPersisted(q, (store, from, to) => store.readConsumer(stream, name, from, to));
  const range = parseInput(ConsumerRangeSchema, q.range ?? "15m", "range");
  const history = (await getRuntime()).consumerTracker.history(stream, name, range, now);
  if (!history) throw new NotFoundError(`no consumer "${name}" on stream "${stream}" in the latest sample`);
  return history;
}

/** The path of /api/bus/servers/[server]/history. */
export const ServerParamsSchema = z.object({ server: ServerNameSchema });

/**
 * One bus server's figures: the recent window over ?range= (1m, 5m, 15m; empty for a server not sampled lately,
 * whose older points may still be stored), or persisted points in [from, to).
 */
export async function serverHistory(name: string, q: HistoryQuery, now: number) {
  if (wantsPersisted(q)) return readPersisted(q, (store, from, to) => store.readServer(name, from, to));
  const range = parseInput(StreamRangeSchema, q.range ?? "15m", "range");
  const series = (await getRuntime()).serverHistory.get(name);
  const since = now - HISTORY_RANGES[range];
  return { server: name, range, points: series.filter((p) => p.t >= since) };
}

async function readPersisted<T>(q: HistoryQuery, read: (store: HistoryStore, from: number, to: number) => Promise<T>): Promise<T> {
  const { from, to } = parseInput(HistoryRangeQuerySchema, { from: q.from, to: q.to });
  const rt = await getRuntime();
  if (!rt.config.history.enabled) throw new UnavailableError("persisted history is off (BUSDECK_HISTORY=0)");
  return unavailableOnFailure("history", async () => read(await rt.history(), from, to));
}
