"use client";
import { useEffect, useState } from "react";

/** Wall clock for ages and trailing windows, ticking once a second (views only; lib/ takes `now` as an argument). */
export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
