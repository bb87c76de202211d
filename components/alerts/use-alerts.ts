"use client";
/**
 * The alerts page's data: targets, delivery log and silences arrive over SSE (hub topic `alerts`, the same on
 * every replica); the open findings the silence form offers are read from /api/findings; silences are added and
 * expired through the operator routes.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { failure, getJson } from "@/components/ui/api-response";
import type { NewSilence, Silence } from "@/lib/alerts/silences";
import type { Finding } from "@/lib/findings/finding";
import { links } from "@/lib/links";

async function send(url: string, init: RequestInit): Promise<Response> {
  const res = await fetch(url, init);
  if (!res.ok) throw await failure(res, `${init.method ?? "GET"} ${url}`);
  return res;
}

export function useOpenFindings() {
  return useQuery<{ findings: Finding[] }>({
    queryKey: ["findings", "open"],
    queryFn: () => getJson(links.api.openFindings()),
    refetchInterval: 10_000,
  });
}

export function useAddSilence(onAdded?: (s: Silence) => void) {
  return useMutation<Silence, Error, NewSilence>({
    mutationFn: async (input) =>
      (
        await send(links.api.silences(), { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(input) })
      ).json(),
    onSuccess: onAdded,
  });
}

export function useExpireSilence() {
  return useMutation<Silence, Error, string>({
    mutationFn: async (id) => (await send(links.api.silence(id), { method: "DELETE" })).json(),
  });
}
