"use client";
/** Adding and deleting notes; the list itself arrives over SSE (hub topic `annotations`) on every replica. */
import { useMutation } from "@tanstack/react-query";
import type { Annotation, NewAnnotation } from "@/lib/review/annotations";
import { failure } from "@/components/ui/api-response";

async function send(url: string, init: RequestInit): Promise<Response> {
  const res = await fetch(url, init);
  if (!res.ok) throw await failure(res, `${init.method ?? "GET"} ${url}`);
  return res;
}

export function useAddAnnotation(onAdded?: (a: Annotation) => void) {
  return useMutation<Annotation, Error, NewAnnotation>({
    mutationFn: async (note) =>
      (
        await send("/api/annotations", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(note) })
      ).json(),
    onSuccess: onAdded,
  });
}

export function useDeleteAnnotation(onDeleted?: () => void) {
  return useMutation<void, Error, string>({
    mutationFn: async (id) => {
      await send(`/api/annotations/${encodeURIComponent(id)}`, { method: "DELETE" });
    },
    onSuccess: onDeleted,
  });
}
