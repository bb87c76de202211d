"use client";
/** React Query hooks for the KV and object store views: read on request, refreshed while the page is open. */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { KvKeyHistory, KvKeyPage, KvOverview, ObjectList } from "@/lib/bus/kv";
import { kvKeysViewStateToSearch } from "@/lib/bus/kv";
import { links } from "@/lib/links";
import { getJson } from "@/components/ui/api-response";

export const kvKeys = {
  overview: () => ["kv"] as const,
  keys: (bucket: string, prefix: string) => ["kv", bucket, "keys", prefix] as const,
  key: (bucket: string, key: string, rev: number | null) => ["kv", bucket, "key", key, rev] as const,
  objects: (bucket: string) => ["objects", bucket] as const,
};

const REFRESH_MS = 10_000;

export function useKvOverview() {
  return useQuery({
    queryKey: kvKeys.overview(),
    queryFn: () => getJson<KvOverview>(links.api.kvOverview()),
    refetchInterval: REFRESH_MS,
    staleTime: 5_000,
  });
}

export function useKvKeys(bucket: string, prefix: string) {
  return useQuery({
    queryKey: kvKeys.keys(bucket, prefix),
    queryFn: () => getJson<KvKeyPage>(links.api.kvKeys(bucket, kvKeysViewStateToSearch({ prefix }))),
    // A new prefix keeps the last list on screen while the next loads (no layout jump).
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
    staleTime: 5_000,
    retry: false,
  });
}

export function useKvKey(bucket: string, key: string, rev: number | null) {
  return useQuery({
    queryKey: kvKeys.key(bucket, key, rev),
    queryFn: () => getJson<KvKeyHistory>(links.api.kvKey(bucket, key, rev === null ? undefined : { rev })),
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
    staleTime: 5_000,
    retry: false,
  });
}

export function useObjects(bucket: string | null) {
  return useQuery({
    queryKey: kvKeys.objects(bucket ?? ""),
    queryFn: () => getJson<ObjectList>(links.api.objects(bucket!)),
    enabled: bucket !== null,
    staleTime: 5_000,
    retry: false,
  });
}
