"use client";
import { useMemo } from "react";
import { useLiveTopic } from "@/components/live/use-live-events";
import type { FindingsSnapshot } from "@/lib/findings/finding";
import { newerFindings, viewsHealth, type ViewsHealth } from "@/lib/findings/overview";

/**
 * The findings as the hub's `findings` topic streams them, or `initial` (the server's render) while that is newer:
 * before the stream's first state, and when the cache holds what the page saw before it was left.
 */
export function useFindings(initial: FindingsSnapshot | undefined): FindingsSnapshot | null {
  return newerFindings(useLiveTopic("findings").data, initial);
}

/** The four views' counts from their live topics; `initial` until any of them arrives. */
export function useViewsHealth(initial: ViewsHealth | undefined): ViewsHealth | null {
  const streams = useLiveTopic("streams").data;
  const rows = useLiveTopic("consumer_rows").data;
  const outcomes = useLiveTopic("outcome_stats").data;
  const locks = useLiveTopic("locks").data;
  const live = useMemo(
    () => (streams || rows || outcomes || locks ? viewsHealth({ streams, rows, outcomes, locks }) : null),
    [streams, rows, outcomes, locks],
  );
  return live ?? initial ?? null;
}
