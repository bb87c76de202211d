"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { getJson } from "@/components/ui/api-response";
import { links } from "@/lib/links";
import type { ServerHistoryPoint } from "@/lib/bus/server-history";
import type { HistoryRange } from "@/lib/streams/queries";

/** One bus server's recent figures (busdeck's in-memory window over `range`), refreshed every 2 s. */
export function useServerHistory(name: string, range: HistoryRange) {
  return useQuery({
    queryKey: ["bus", "servers", name, "history", range],
    queryFn: () => getJson<{ points: ServerHistoryPoint[] }>(`${links.api.serverHistory(name)}?range=${range}`),
    refetchInterval: 2_000,
    staleTime: 1_000,
    placeholderData: keepPreviousData,
  });
}
