"use client";
import { useCallback, useMemo } from "react";
import { useViewSearch } from "@/components/ui/use-view-search";
import {
  displayZoneToSearch,
  parseDisplayZone,
  parseTimeRangeLenient,
  timeRangeToSearch,
  type DisplayZone,
  type TimeRange,
} from "@/lib/time/range";

/**
 * The shared time range and display zone, read from and written to the URL (useViewSearch). Writes start from
 * the newest written query string (not the last render's) so two quick changes build on each other, and keep
 * every other parameter — the view's filters — as it is. Inside a frozen snapshot it is the frozen URL's range.
 */
export function useTimeRange(): {
  range: TimeRange;
  error: string | null;
  zone: DisplayZone;
  setRange: (r: TimeRange) => void;
  setZone: (z: DisplayZone) => void;
} {
  const { search, read, write } = useViewSearch();
  const parsed = useMemo(() => parseTimeRangeLenient(new URLSearchParams(search)), [search]);
  const zone = useMemo(() => parseDisplayZone(new URLSearchParams(search)), [search]);
  const setRange = useCallback((r: TimeRange) => write(timeRangeToSearch(r, read())), [read, write]);
  const setZone = useCallback((z: DisplayZone) => write(displayZoneToSearch(z, read())), [read, write]);
  return { range: parsed.range, error: parsed.error, zone, setRange, setZone };
}
