"use client";
import { startTransition, useEffect, useRef, useState } from "react";
import { useFrozenView } from "@/components/snapshots/frozen-context";

/**
 * `value` and the wall clock read together on one fixed tick, so a panel that shows both (counts next to "last
 * error 4s ago") redraws once per tick, not once per timer. The first value shows at once; a frozen snapshot's
 * clock stands still.
 * Each tick's render is a transition: React renders it in slices between frames instead of in one long task.
 */
export function useSampledWithClock<T>(value: T, intervalMs: number): { value: T; now: number } {
  const frozen = useFrozenView();
  const latest = useRef(value);
  latest.current = value;
  const [sample, setSample] = useState(() => ({ value, now: Date.now() }));
  useEffect(() => {
    if (frozen) return;
    const t = setInterval(() => startTransition(() => setSample({ value: latest.current, now: Date.now() })), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs, frozen]);
  const waitingForFirst = sample.value === undefined || sample.value === null;
  useEffect(() => {
    if (waitingForFirst && value !== undefined && value !== null) startTransition(() => setSample({ value, now: Date.now() }));
  }, [waitingForFirst, value]);
  return frozen ? { value, now: frozen.now } : sample;
}
