"use client";
import { createContext, useContext, type ReactNode } from "react";
import type { DisplayZone } from "@/lib/format";
import { useHydrated } from "./use-hydrated";
import { useTimeRange } from "./use-time-range";

const DisplayZoneContext = createContext<DisplayZone>("utc");

/**
 * The zone the views below show times in: the URL's (`tz=local`), applied only after hydration since the
 * server cannot know the browser's zone; UTC until then and by default.
 */
export function DisplayZoneProvider({ children }: { children: ReactNode }) {
  const { zone } = useTimeRange();
  const hydrated = useHydrated();
  return <DisplayZoneContext value={hydrated ? zone : "utc"}>{children}</DisplayZoneContext>;
}

/** The display zone to pass to lib/format's time formatters. */
export const useDisplayZone = (): DisplayZone => useContext(DisplayZoneContext);
