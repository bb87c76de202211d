"use client";
/** React Query hooks for the Streams views' request/response data (live data comes from useLiveTopic). */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { MessageDetail, MessagePage } from "@/lib/streams/messages";
import type { RatePoint } from "@/lib/streams/rate-history";
import { browseQueryToSearch, type BrowseQuery, type HistoryRange } from "@/lib/streams/queries";
import { getJson } from "@/components/ui/api-response";

const api = (name: string) => `/api/streams/${encodeURIComponent(name)}`;

export const streamKeys = {
  messages: (name: string, q: BrowseQuery) => ["streams", name, "messages", q] as const,
  message: (name: string, seq: number) => ["streams", name, "message", seq] as const,
  subjects: (name: string) => ["streams", name, "subjects"] as const,
  history: (name: string, range: HistoryRange) => ["streams", name, "history", range] as const,
  info: (name: string) => ["streams", name, "info"] as const,
};

export function useMessagePage(name: string, q: BrowseQuery | null) {
  return useQuery({
    queryKey: streamKeys.messages(name, q ?? ({} as BrowseQuery)),
    queryFn: () => getJson<MessagePage>(`${api(name)}/messages${browseQueryToSearch(q!)}`),
    enabled: q !== null,
    // A page is a snapshot of a moving stream: keep showing the last one while the next loads (no layout jump).
    placeholderData: keepPreviousData,
    staleTime: 5_000,
    retry: false,
  });
}

export function useMessage(name: string, seq: number | null) {
  return useQuery({
    queryKey: streamKeys.message(name, seq ?? 0),
    queryFn: () => getJson<MessageDetail>(`${api(name)}/messages/${seq}`),
    enabled: seq !== null,
    // A stored message never changes; it can only be deleted.
    staleTime: Infinity,
    retry: false,
  });
}

export function useSubjectCounts(name: string) {
  return useQuery({
    queryKey: streamKeys.subjects(name),
    queryFn: () => getJson<{ subjects: { subject: string; messages: number }[]; total: number }>(`${api(name)}/subjects`),
    refetchInterval: 10_000,
    staleTime: 5_000,
  });
}

export function useRateHistory(name: string, range: HistoryRange) {
  return useQuery({
    queryKey: streamKeys.history(name, range),
    queryFn: () => getJson<{ points: RatePoint[] }>(`${api(name)}/history?range=${range}`),
    refetchInterval: 2_000,
    staleTime: 1_000,
    placeholderData: keepPreviousData,
  });
}

/** The raw stream info, only while the "full configuration" section is open. */
export function useRawStreamInfo(name: string, enabled: boolean) {
  return useQuery({
    queryKey: streamKeys.info(name),
    queryFn: () => getJson<Record<string, unknown>>(`${api(name)}/info`),
    enabled,
    staleTime: 10_000,
  });
}

export const messageDownloadUrl = (name: string, seq: number) => `${api(name)}/messages/${seq}?download=1`;
export const searchUrl = (name: string, params: URLSearchParams) => `${api(name)}/search?${params.toString()}`;
