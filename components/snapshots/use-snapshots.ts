"use client";
/** The snapshot API from the browser: load one snapshot, delete one (freezing is use-freeze.ts). */
import { useMutation, useQuery } from "@tanstack/react-query";
import { parseSnapshotDocument, type SnapshotDocument } from "@/lib/review/snapshots";
import { failure } from "@/components/ui/api-response";

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
