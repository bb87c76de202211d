"use client";
/** The snapshot API from the browser: freeze the current view, load one snapshot, delete one. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { parseSnapshotDocument, selectFrozenQueries, whenViewDataArrived, type SnapshotDocument, type SnapshotSummary } from "@/lib/snapshots";

async function failure(res: Response, what: string): Promise<Error> {
  const body = (await res.json().catch(() => null)) as { reason?: string } | null;
  return new Error(body?.reason ?? `${what}: HTTP ${res.status}`);
}

/** Big views (10,000 consumers) are several MB of JSON that gzip ~10×: compress before upload where the browser can. */
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
  return useMutation<FreezeResult, Error>({
    mutationFn: async () => {
      await whenViewDataArrived(qc.getQueryCache(), VIEW_DATA_WAIT_MS);
      const queries = selectFrozenQueries(
        qc.getQueryCache().getAll().map((q) => ({ key: q.queryKey, data: q.state.data, observers: q.getObserversCount() })),
      );
      if (queries.length === 0) throw new Error("nothing to freeze yet: the view is still loading");
      const url = `${window.location.pathname}${window.location.search}`;
      const { body, encoding } = await gzipBody(JSON.stringify({ url, view_now: Date.now(), queries }));
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

export function useSnapshotDocument(id: string) {
  return useQuery<SnapshotDocument>({
    queryKey: ["snapshots", id],
    queryFn: async () => {
      const res = await fetch(`/api/snapshots/${encodeURIComponent(id)}`);
      if (!res.ok) throw await failure(res, "snapshot");
      return parseSnapshotDocument(await res.json());
    },
    // A snapshot never changes; it can only be deleted.
    staleTime: Infinity,
    retry: false,
  });
}

export function useDeleteSnapshot(onDeleted: () => void) {
  return useMutation<void, Error, string>({
    mutationFn: async (id) => {
      const res = await fetch(`/api/snapshots/${encodeURIComponent(id)}`, { method: "DELETE" });
      if (!res.ok) throw await failure(res, "delete");
    },
    onSuccess: onDeleted,
  });
}
