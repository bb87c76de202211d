"use client";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useLiveTopic } from "@/components/live/live-events";
import { mergeTimeline, type TimelineEntry } from "@/lib/failover";
import { failure } from "@/components/ui/api-response";

export const failoverKeys = {
  timeline: (from: number, to: number | "live") => ["failover", "timeline", from, to] as const,
};

/**
 * The window's entries: what busdeck recorded (one range query per window, fetched through React Query) merged
 * with what arrived live since. Trailing windows are fetched once and then kept current by the SSE feed.
 */
export function useFailoverTimeline(from: number, to: number, live: boolean) {
  // Trailing windows refetch only when the preset changes, not every second as `from` slides.
  const fetchFrom = live ? Math.floor(from / 60_000) * 60_000 : from;
  const recorded = useQuery({
    queryKey: failoverKeys.timeline(fetchFrom, live ? "live" : to),
    queryFn: async (): Promise<{ entries: TimelineEntry[]; truncated: boolean }> => {
      const q = new URLSearchParams({ from: new Date(fetchFrom).toISOString(), limit: "20000" });
      if (!live) q.set("to", new Date(to).toISOString());
      const res = await fetch(`/api/failover/timeline?${q}`);
      if (!res.ok) throw await failure(res, "GET /api/failover/timeline");
      return res.json();
    },
    staleTime: live ? 5 * 60_000 : Infinity,
    placeholderData: (prev) => prev,
  });
  const feed = useLiveTopic("failover_timeline").data;
  const entries = useMemo(() => mergeTimeline(recorded.data?.entries ?? [], feed ?? [], from, to), [recorded.data, feed, from, to]);
  return { entries, truncated: recorded.data?.truncated ?? false, error: recorded.error as Error | null, loading: recorded.isPending };
}
