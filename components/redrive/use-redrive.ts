"use client";
/** Sending a redrive; the dialog shows what came back (the copy's sequence, or that the stream had it already). */
import { useMutation } from "@tanstack/react-query";
import type { RedriveRequest, RedriveResult } from "@/lib/redrive/redrive";
import { links } from "@/lib/links";
import { failure } from "@/components/ui/api-response";

export function useRedrive(stream: string, seq: number) {
  return useMutation<RedriveResult, Error, RedriveRequest>({
    mutationFn: async (request) => {
      const url = links.api.redrive(stream, seq);
      const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request) });
      if (!res.ok) throw await failure(res, `POST ${url}`);
      return (await res.json()) as RedriveResult;
    },
  });
}
