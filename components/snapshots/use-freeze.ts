"use client";
/**
 * Freezing the current view from the browser. Apart from use-snapshots.ts: the Freeze button is in every page's
 * layout, and loading a stored document validates it with lib/review/snapshots.ts's schemas (classic zod), which the
 * layout's bundle then held.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { SnapshotSummary } from "@/lib/review/snapshots";
import { selectFrozenQueries, whenViewDataArrived } from "@/lib/review/snapshot-views";
import { failure } from "@/components/ui/api-response";

/** Big views are megabytes of JSON that compress well: gzip before upload where the browser can. */
async function gzipBody(json: string): Promise<{ body: BodyInit; encoding?: string }> {
  if (typeof CompressionStream === "undefined") return { body: json };
  const stream = new Blob([json]).stream().pipeThrough(new CompressionStream("gzip"));
  return { body: await new Response(stream).arrayBuffer(), encoding: "gzip" };
}

export type FreezeResult = SnapshotSummary & { permalink: string };

/** How long a freeze waits for live data the view has not received yet (right after a page load: under a second). */
const VIEW_DATA_WAIT_MS = 5_000;

/** Freezes what the page shows right now: every cache entry a mounted component reads, with the URL and clock. */
export function useFreeze() {
  const qc = useQueryClient();
  return useMutation<FreezeResult, Error, { name?: string }>({
    mutationFn: async ({ name }) => {
      await whenViewDataArrived(qc.getQueryCache(), VIEW_DATA_WAIT_MS);
      const queries = selectFrozenQueries(
        qc
          .getQueryCache()
          .getAll()
          .map((q) => ({ key: q.queryKey, data: q.state.data, observers: q.getObserversCount() })),
      );
      if (queries.length === 0) throw new Error("nothing to freeze yet: the view is still loading");
      const url = `${window.location.pathname}${window.location.search}`;
      const { body, encoding } = await gzipBody(JSON.stringify({ url, view_now: Date.now(), queries, ...(name ? { name } : {}) }));
      const res = await fetch("/api/snapshots", {
        method: "POST",
        headers: { "Content-Type": "application/json", ...(encoding ? { "Content-Encoding": encoding } : {}) },
        body,
      });
      if (!res.ok) throw await failure(res, "freeze");
      return (await res.json()) as FreezeResult;
    },
  });
}
