"use client";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { parseDisplayZone, parseTimeRangeLenient, withDisplayZone, withTimeRange, type DisplayZone, type TimeRange } from "@/lib/time-range";

/**
 * The shared time range and display zone, read from and written to the URL. Writes start from the live
 * location (not the last render's params) so two quick changes build on each other, and keep every other
 * parameter — the view's filters — as it is.
 */
export function useTimeRange(): { range: TimeRange; error: string | null; zone: DisplayZone; setRange: (r: TimeRange) => void; setZone: (z: DisplayZone) => void } {
  const params = useSearchParams();
  const pathname = usePathname();
  const key = params.toString();
  const parsed = useMemo(() => parseTimeRangeLenient(new URLSearchParams(key)), [key]);
  const zone = useMemo(() => parseDisplayZone(new URLSearchParams(key)), [key]);
  const setRange = useCallback((r: TimeRange) => window.history.replaceState(null, "", `${pathname}${withTimeRange(window.location.search, r)}`), [pathname]);
  const setZone = useCallback((z: DisplayZone) => window.history.replaceState(null, "", `${pathname}${withDisplayZone(window.location.search, z)}`), [pathname]);
  return { range: parsed.range, error: parsed.error, zone, setRange, setZone };
}
