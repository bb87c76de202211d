"use client";
import { useSyncExternalStore } from "react";

const noSubscribe = () => () => {};

/**
 * False during server render and hydration, true after. The SSE stream can fill the cache before a Suspense
 * boundary hydrates; rendering live data only after hydration keeps server and client markup identical.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
}
