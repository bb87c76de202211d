"use client";
import { useEffect, useState } from "react";
import { useFrozenView } from "@/components/snapshots/frozen-context";

/**
 * Wall clock for ages and trailing windows, ticking once a second (views only; lib/ takes `now` as an argument).
 * A frozen snapshot's clock stands still at the moment it was taken.
 */
export function useNow(intervalMs = 1_000): number {
  const frozen = useFrozenView();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (frozen) return;
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs, frozen]);
  return frozen?.now ?? now;
}
