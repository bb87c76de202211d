"use client";
import { startTransition, useEffect, useRef, useState } from "react";

/**
 * The value, but changing at most once per `ms` (the latest one wins, on the trailing edge). For views fed by
 * a stream that updates faster than anyone can read: charts re-render at a fixed budget, not per event.
 * The catch-up render is a transition: React renders it in slices between frames instead of in one long task.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  const latest = useRef(value);
  latest.current = value;
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = last.current + ms - Date.now();
    if (wait <= 0) {
      last.current = Date.now();
      startTransition(() => setShown(value));
      return;
    }
    const t = setTimeout(() => {
      last.current = Date.now();
      startTransition(() => setShown(latest.current));
    }, wait);
    return () => clearTimeout(t);
  }, [value, shown, ms]);
  return shown;
}
