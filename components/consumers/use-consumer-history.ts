"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { ConsumerHistoryResponse, HistoryRange } from "@/lib/consumers/series";
import type { ConsumerRow, ConsumerSummary } from "@/lib/consumers/types";
import { getJsonOrNull } from "@/components/ui/api-response";

export const consumerHistoryKey = (stream: string, name: string, range: HistoryRange) =>
  ["consumers", stream, name, "history", range] as const;
export const consumerDetailKey = (stream: string, name: string) => ["consumers", stream, name, "detail"] as const;

const consumerUrl = (stream: string, name: string) => `/api/consumers/${encodeURIComponent(stream)}/${encodeURIComponent(name)}`;

/** Ranges short enough that one sample is visible on the chart: those follow the live row, not only a poll. */
const followsLiveRow = (range: HistoryRange) => range === "5m" || range === "15m";

/**
 * The detail charts' series from the server's bounded history. For the short ranges it is fetched again whenever
 * the live row changes (a new sample moved this consumer), so the chart's last point is the sample the cards
 * show, not an older poll. The poll stays for what moves without changing the row (a stuck consumer's lag seconds).
 */
export function useConsumerHistory(stream: string, name: string, range: HistoryRange, row: ConsumerRow | undefined) {
  const query = useQuery<ConsumerHistoryResponse | null>({
    queryKey: consumerHistoryKey(stream, name, range),
    queryFn: () => getJsonOrNull<ConsumerHistoryResponse>(`${consumerUrl(stream, name)}/history?range=${range}`),
    refetchInterval: followsLiveRow(range) ? 2_000 : 10_000,
    placeholderData: keepPreviousData,
  });
  useRefetchWhenChanged(query.refetch, followsLiveRow(range) ? row : undefined);
  return query;
}

/**
 * One consumer in full. The SSE stream carries only its row (the table's columns); the rest — config,
 * sequences, diagnoses — is fetched, and fetched again whenever the live row changes, i.e. when a new sample
 * moved something about this consumer.
 */
/** `unknownSince`: the rows envelope's flag for this consumer; the summary is fetched again when it comes or goes. */
export function useConsumerDetail(stream: string, name: string, row: ConsumerRow | undefined, unknownSince?: string) {
  const query = useQuery<ConsumerSummary | null>({
    queryKey: consumerDetailKey(stream, name),
    queryFn: () => getJsonOrNull<ConsumerSummary>(consumerUrl(stream, name)),
    enabled: row !== undefined,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
  useRefetchWhenChanged(query.refetch, row);
  useRefetchWhenChanged(query.refetch, unknownSince);
  return query;
}

/** Refetches when `value` changes to another defined value (the live row: a new object only when it changed). */
function useRefetchWhenChanged(refetch: () => Promise<unknown>, value: object | string | undefined) {
  const fetchedFor = useRef(value);
  useEffect(() => {
    if (!value || value === fetchedFor.current) return;
    fetchedFor.current = value;
    void refetch();
  }, [value, refetch]);
}
