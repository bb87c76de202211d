"use client";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useRef } from "react";
import { useLiveTopic } from "@/components/live/use-live-events";
import type { TimelineEntry } from "@/lib/failover/timeline";
import { addEntries, EMPTY_INDEX, groupByKeyFrom, newFeedItems, type KeyGroups, type TimelineIndex } from "@/lib/failover/transition-index";
import { failure } from "@/components/ui/api-response";

export const failoverKeys = {
  timeline: (from: number | "live", to: number) => ["failover", "timeline", from, to] as const,
};

/**
 * What busdeck recorded over a window (one range query, through React Query) merged with what arrived live
 * since, as a sorted index that only grows: a live item is inserted at its place, nothing is re-sorted, and
 * the index keeps its identity while nothing new arrives. Views cut their window from it by binary search.
 * Its lock transitions grouped by key grow the same way: a new transition regroups only its own key.
 * A trailing window (`live`) is fetched once per span and then kept current by the SSE feed.
 */
export function useFailoverTimeline(from: number, to: number, live: boolean) {
  const span = to - from;
  const recorded = useQuery({
    queryKey: live ? failoverKeys.timeline("live", span) : failoverKeys.timeline(from, to),
    queryFn: async (): Promise<{ entries: TimelineEntry[]; truncated: boolean }> => {
      const q = new URLSearchParams({ from: new Date(live ? Date.now() - span : from).toISOString(), limit: "20000" });
      if (!live) q.set("to", new Date(to).toISOString());
      const res = await fetch(`/api/failover/timeline?${q}`);
      if (!res.ok) throw await failure(res, "GET /api/failover/timeline");
      return res.json();
    },
    staleTime: live ? 5 * 60_000 : Infinity,
    placeholderData: (prev) => prev,
  });
  const feed = useLiveTopic("failover_timeline").data;
  const merged = useRef<{
    recorded: unknown;
    feed: readonly TimelineEntry[] | null | undefined;
    index: TimelineIndex;
    groups: KeyGroups;
  } | null>(null);
  const { index, groups } = useMemo(() => {
    const prev = merged.current;
    const index =
      prev && prev.recorded === recorded.data
        ? addEntries(prev.index, newFeedItems(prev.feed, feed))
        : addEntries(addEntries(EMPTY_INDEX, recorded.data?.entries ?? []), feed ?? []);
    const groups = groupByKeyFrom(prev?.groups ?? null, index);
    merged.current = { recorded: recorded.data, feed, index, groups };
    return merged.current;
  }, [recorded.data, feed]);
  return {
    index,
    byKey: groups.byKey,
    truncated: recorded.data?.truncated ?? false,
    error: recorded.error as Error | null,
    loading: recorded.isPending,
  };
}
