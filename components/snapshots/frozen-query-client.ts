"use client";
import { QueryClient, type DefaultedQueryObserverOptions, type QueryObserverOptions } from "@tanstack/react-query";
import { currentQueryEntries, type QueryEntry } from "@/lib/review/snapshots";

/**
 * A query client that only ever answers from what it was seeded with. Views pass their own options
 * (refetchInterval, staleTime, enabled) to useQuery, and those win over a client's defaults — so the
 * overrides are applied after them: a frozen view never fetches, polls or refetches anything.
 */
class FrozenQueryClient extends QueryClient {
  /* eslint-disable @typescript-eslint/no-explicit-any -- the base class's own signature, whatever the query's types */
  override defaultQueryOptions(
    options: QueryObserverOptions<any, any, any, any, any, any> | DefaultedQueryObserverOptions<any, any, any, any, any>,
  ): any {
    return {
      ...super.defaultQueryOptions(options),
      enabled: false,
      refetchInterval: false,
      refetchOnMount: false,
      refetchOnReconnect: false,
      refetchOnWindowFocus: false,
      staleTime: Infinity,
      gcTime: Infinity,
      retry: false,
    };
  } /* eslint-enable @typescript-eslint/no-explicit-any */
}

export function frozenQueryClient(entries: QueryEntry[]): QueryClient {
  const client = new FrozenQueryClient();
  for (const e of currentQueryEntries(entries)) client.setQueryData(e.key, e.data);
  return client;
}
