"use client";
/** Data hooks of the outcome view: URL filter state, the range/history query, one outcome, a ticking clock. */
import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import {
  outcomeFilterToSearch,
  outcomeQueryKeys,
  parseOutcomeFilterLenient,
  type OutcomeFilter,
  type OutcomeQueryResult,
} from "@/lib/outcomes/filter";
import type { OutcomeRecord } from "@/lib/outcomes/outcome";
import type { ErrorGroupDetail } from "@/lib/outcomes/error-group";
import type { HandlerDetail } from "@/lib/outcomes/handler-detail";
import { links } from "@/lib/links";
import { shellStateToSearch, TRAILING_WINDOWS, type TimeRange } from "@/lib/time/range";
import { getJson } from "@/components/ui/api-response";
import { useViewSearch } from "@/components/ui/use-view-search";

export type OutcomeQueryResponse = OutcomeQueryResult;

export interface OutcomeDetailResponse {
  record: OutcomeRecord;
  event_message: { stream: string; seq: number; exact: boolean } | null;
  /** The history stream that stores the record (null when live only). */
  stream: string | null;
}

export type FilterPatch = Partial<OutcomeFilter> | ((current: OutcomeFilter) => Partial<OutcomeFilter>);

/** The filter lives in the URL; updates replace the entry so the back button isn't a filter log. */
export function useOutcomeFilter(): {
  filter: OutcomeFilter;
  /** Bad parameters, each named with its value and why: ignored, the rest applies. */
  ignored: string[];
  setFilter: (f: OutcomeFilter) => void;
  patchFilter: (p: FilterPatch) => void;
} {
  const { search, read, write } = useViewSearch();
  const { filter, ignored } = useMemo(() => parseOutcomeFilterLenient(new URLSearchParams(search)), [search]);
  // from/to are the shared fixed time range; the trailing range and the zone ride along.
  const setFilter = useCallback(
    (f: OutcomeFilter) => write(shellStateToSearch(read(), outcomeFilterToSearch(f), ["from", "to"])),
    [read, write],
  );
  // A patch builds on the newest written filter, so two quick changes never lose the first.
  const patchFilter = useCallback(
    (p: FilterPatch) => {
      const base = parseOutcomeFilterLenient(new URLSearchParams(read())).filter;
      setFilter({ ...base, ...(typeof p === "function" ? p(base) : p) });
    },
    [read, setFilter],
  );
  return { filter, ignored, setFilter, patchFilter };
}

/**
 * The filter the queries use: a trailing shared range (`range=6h`) becomes its start, rounded down to the minute
 * so the query key (and the fetch) changes once a minute rather than every second.
 */
export function effectiveOutcomeFilter(filter: OutcomeFilter, range: TimeRange, now: number): OutcomeFilter {
  if (filter.from || filter.to || range.kind !== "live" || !range.last) return filter;
  return { ...filter, from: new Date(Math.floor(now / 60_000) * 60_000 - TRAILING_WINDOWS[range.last]).toISOString() };
}

/**
 * Stored outcomes matching the filter (last hour unless the URL has a range); refreshed while the range is
 * open-ended. `timeline: false` when the view charts from the live summary: the server then reads only the
 * newest matches, not the whole range, on every refresh.
 */
export function useOutcomeQuery(filter: OutcomeFilter, opts: { limit?: number; timeline?: boolean } = {}) {
  const params = new URLSearchParams(outcomeFilterToSearch(filter));
  params.set("limit", String(opts.limit ?? 500));
  if (opts.timeline === false) params.set("timeline", "false");
  return useQuery<OutcomeQueryResponse>({
    queryKey: outcomeQueryKeys.query(Object.fromEntries(params)),
    queryFn: () => getJson(`/api/outcomes?${params}`),
    staleTime: filter.to ? Infinity : 10_000,
    refetchInterval: filter.to ? false : 15_000,
    placeholderData: (prev) => prev,
  });
}

/** Every stored outcome matching the filter, up to the API's largest page, for an export. */
export async function fetchOutcomesForExport(filter: OutcomeFilter): Promise<OutcomeRecord[]> {
  const params = new URLSearchParams(outcomeFilterToSearch(filter));
  params.set("limit", "2000");
  const res = await getJson<OutcomeQueryResponse>(`/api/outcomes?${params}`);
  return res.records;
}

/** The filter's non-range parameters, for an export's file name (the range is named separately). */
export function exportFilters(filter: OutcomeFilter): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(outcomeFilterToSearch({ ...filter, from: undefined, to: undefined })));
}

/** One error group over the filter's range (from/to; the last hour without them); refreshed while open-ended. */
export function useErrorGroup(handler: string, id: string, filter: OutcomeFilter) {
  const search = outcomeFilterToSearch({ from: filter.from, to: filter.to });
  return useQuery<ErrorGroupDetail>({
    queryKey: outcomeQueryKeys.group(handler, id, search),
    queryFn: () => getJson(links.api.errorGroup(handler, id, search)),
    staleTime: filter.to ? Infinity : 10_000,
    refetchInterval: filter.to ? false : 15_000,
    placeholderData: (prev) => prev,
    retry: false,
  });
}

/** One handler over the filter's range (from/to; the last hour without them); refreshed while open-ended. */
export function useHandlerDetail(handler: string, filter: OutcomeFilter) {
  const search = outcomeFilterToSearch({ from: filter.from, to: filter.to });
  return useQuery<HandlerDetail>({
    queryKey: outcomeQueryKeys.handler(handler, search),
    queryFn: () => getJson(links.api.handler(handler, search)),
    staleTime: filter.to ? Infinity : 10_000,
    refetchInterval: filter.to ? false : 15_000,
    placeholderData: (prev) => prev,
    retry: false,
  });
}

export function useOutcomeDetail(id: string) {
  return useQuery<OutcomeDetailResponse>({
    queryKey: outcomeQueryKeys.detail(id),
    queryFn: () => getJson(`/api/outcomes/${encodeURIComponent(id)}`),
    staleTime: Infinity,
    retry: false,
  });
}
