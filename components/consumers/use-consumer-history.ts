"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { ConsumerHistoryResponse, HistoryRange } from "@/lib/consumer-series";
import type { ConsumerRow, ConsumerSummary } from "@/lib/consumers";
import { failure } from "@/components/ui/api-response";

export const consumerHistoryKey = (stream: string, name: string, range: HistoryRange) => ["consumers", stream, name, "history", range] as const;
export const consumerDetailKey = (stream: string, name: string) => ["consumers", stream, name, "detail"] as const;

const consumerUrl = (stream: string, name: string) => `/api/consumers/${encodeURIComponent(stream)}/${encodeURIComponent(name)}`;

async function getJson<T>(url: string, what: string): Promise<T | null> {
  const res = await fetch(url);
  if (res.status === 404) return null;
  if (!res.ok) throw await failure(res, what);
  return (await res.json()) as T;
}

/** The detail charts' series from the server's bounded history; refreshed every few seconds, the table stays live via SSE. */
export function useConsumerHistory(stream: string, name: string, range: HistoryRange) {
  return useQuery<ConsumerHistoryResponse | null>({
    queryKey: consumerHistoryKey(stream, name, range),
    queryFn: () => getJson<ConsumerHistoryResponse>(`${consumerUrl(stream, name)}/history?range=${range}`, "history"),
    refetchInterval: range === "5m" || range === "15m" ? 2_000 : 10_000,
    placeholderData: keepPreviousData,
  });
}

/**
 * One consumer in full. The SSE stream carries only its row (the table's columns); the rest — config,
 * sequences, diagnoses — is fetched, and fetched again whenever the live row changes, i.e. when a new sample
 * moved something about this consumer.
 */
export function useConsumerDetail(stream: string, name: string, row: ConsumerRow | undefined) {
  const query = useQuery<ConsumerSummary | null>({
    queryKey: consumerDetailKey(stream, name),
    queryFn: () => getJson<ConsumerSummary>(consumerUrl(stream, name), "consumer"),
    enabled: row !== undefined,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
  const { refetch } = query;
  const fetchedFor = useRef(row);
  useEffect(() => {
    if (!row || row === fetchedFor.current) return;
    fetchedFor.current = row;
    void refetch();
  }, [row, refetch]);
  return query;
}
