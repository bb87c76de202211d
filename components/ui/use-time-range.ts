"use client";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { bareSearch, useFrozenView } from "@/components/snapshots/frozen-context";
import {
  displayZoneToSearch,
  parseDisplayZone,
  parseTimeRangeLenient,
  timeRangeToSearch,
  type DisplayZone,
  type TimeRange,
} from "@/lib/time/range";

/**
 * The shared time range and display zone, read from and written to the URL. Writes start from the live
 * location (not the last render's params) so two quick changes build on each other, and keep every other
 * parameter — the view's filters — as it is. Inside a frozen snapshot it is the frozen URL's range, changed locally.
 */
export function useTimeRange(): {
  range: TimeRange;
  error: string | null;
  zone: DisplayZone;
  setRange: (r: TimeRange) => void;
  setZone: (z: DisplayZone) => void;
} {
  const params = useSearchParams();
  const pathname = usePathname();
  const frozen = useFrozenView();
  const key = frozen ? frozen.search : params.toString();
  const parsed = useMemo(() => parseTimeRangeLenient(new URLSearchParams(key)), [key]);
  const zone = useMemo(() => parseDisplayZone(new URLSearchParams(key)), [key]);
  const write = useCallback(
    (next: (search: string) => string) => {
      if (frozen) frozen.setSearch(bareSearch(next(`?${frozen.search}`)));
      else window.history.replaceState(null, "", `${pathname}${next(window.location.search)}`);
    },
    [pathname, frozen],
  );
  const setRange = useCallback((r: TimeRange) => write((s) => timeRangeToSearch(r, s)), [write]);
  const setZone = useCallback((z: DisplayZone) => write((s) => displayZoneToSearch(z, s)), [write]);
  return { range: parsed.range, error: parsed.error, zone, setRange, setZone };
}
