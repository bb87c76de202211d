"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ConsumerHistoryResponse, HistoryRange } from "@/lib/consumer-series";

export const consumerHistoryKey = (stream: string, name: string, range: HistoryRange) => ["consumers", stream, name, "history", range] as const;

/** The detail charts' series from the server's bounded history; refreshed every few seconds, the table stays live via SSE. */
export function useConsumerHistory(stream: string, name: string, range: HistoryRange) {
  return useQuery<ConsumerHistoryResponse | null>({
    queryKey: consumerHistoryKey(stream, name, range),
    queryFn: async () => {
      const res = await fetch(`/api/consumers/${encodeURIComponent(stream)}/${encodeURIComponent(name)}/history?range=${range}`);
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`history: HTTP ${res.status}`);
      return (await res.json()) as ConsumerHistoryResponse;
    },
    refetchInterval: range === "5m" || range === "15m" ? 2_000 : 10_000,
    placeholderData: keepPreviousData,
  });
}
