"use client";
import { useEffect, useRef, useState } from "react";
import { useFrozenView } from "@/components/snapshots/frozen-context";
import { estimateClockOffset } from "@/lib/failover/lock-transitions";

const SAMPLES_KEPT = 60;

/**
 * How far the browser's clock runs ahead of the server's, learned from each `sampled_at` the page receives
 * (recorded after the render that shows it, so a stalled page only ever records larger differences). A frozen
 * snapshot's clock is the moment it was taken: no offset.
 */
export function useServerClockOffset(sampledAt: string | undefined): number {
  const samples = useRef<{ receivedAt: number; sampledAt: number }[]>([]);
  const [offset, setOffset] = useState(0);
  const frozen = useFrozenView();
  useEffect(() => {
    if (!sampledAt || frozen) return;
    samples.current = [...samples.current, { receivedAt: Date.now(), sampledAt: Date.parse(sampledAt) }].slice(-SAMPLES_KEPT);
    setOffset(estimateClockOffset(samples.current));
  }, [sampledAt, frozen]);
  return offset;
}
