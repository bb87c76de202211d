"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { mergeSeries, persistedSpan } from "@/lib/time/persisted-history";
import { resolveTimeRange, type TimeRange } from "@/lib/time/range";
import { useNow } from "./use-now";

/** How far the in-memory window may start after the range's start before the persisted history is asked. */
const STEP_SLACK_MS = 10_000;

/**
 * A chart's points over the shared time range: the server's in-memory recent window (`recent`, every sample),
 * (null when the server has none, undefined while loading), preceded by busdeck's persisted history (one point per step) where the recent window does not reach — after a
 * restart, or for a range older than the process. Asks the persisted history only for the span before the
 * in-memory window (lib/time/persisted-history.ts persistedSpan), once per span.
 */
export function useWithPersisted<P extends { t: number }>(
  path: string,
  range: TimeRange,
  defaultWindowMs: number,
  recent: readonly P[] | null | undefined,
): P[] {
  const now = useNow(30_000);
  const { from, to, live } = resolveTimeRange(range, now, defaultWindowMs);
  const recentStart = recent?.length ? recent[0]!.t : null;
  // (undefined: the recent window is still loading — ask once it is known not to reach)
  const span =
    recent === undefined || (recentStart !== null && recentStart <= from + STEP_SLACK_MS)
      ? null
      : persistedSpan(from, to, live, recentStart);
  const needed = span !== null;
  const persisted = useQuery({
    queryKey: ["history", path, span?.from, span?.to],
    queryFn: async () => {
      const res = await fetch(`${path}?from=${new Date(span!.from).toISOString()}&to=${new Date(span!.to).toISOString()}`);
      // History off or NATS unreachable: the chart keeps what the recent window has.
      if (!res.ok) return [];
      return ((await res.json()) as { points: P[] }).points;
    },
    enabled: needed,
    staleTime: Infinity, // a span's points do not change; a live view moves on to a new span
    placeholderData: keepPreviousData,
  });
  return mergeSeries(needed ? (persisted.data ?? []) : [], recent ?? []);
}
