/** How a page header says whether its sampled data is live, stale or partial: a tone and words, never colour alone. */
import type { SnapshotStatus } from "../streams/types";

/** Samples come every second by default; three missed slow ticks on a big bus is when the figures stop being live. */
export const SNAPSHOT_STALE_AFTER_MS = 15_000;

export type FreshnessTone = "ok" | "warn" | "bad" | "neutral";

export interface SnapshotFreshness {
  tone: FreshnessTone;
  /** The pill's words: "data live · sampled 2s ago", "data stale 40s", "data partial · sampled 1s ago". */
  label: string;
}

/** Whole seconds below a minute ("2s", "40s"), so the label does not flicker through tenths every tick. */
export function formatSampleAge(ageMs: number): string {
  const s = Math.floor(Math.max(0, ageMs) / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

/** In a frozen snapshot the data's age means nothing: when it was sampled does. */
export const frozenFreshness = (sampledAtText: string): SnapshotFreshness => ({
  tone: "neutral",
  label: `frozen · sampled ${sampledAtText}`,
});

export function snapshotFreshness(
  status: SnapshotStatus,
  sampledAt: string | null,
  now: number,
  staleAfterMs = SNAPSHOT_STALE_AFTER_MS,
): SnapshotFreshness {
  const at = sampledAt === null ? NaN : Date.parse(sampledAt);
  if (Number.isNaN(at))
    return status === "degraded"
      ? { tone: "bad", label: "no data · sampling failed" }
      : { tone: "neutral", label: "waiting for the first sample" };
  const age = now - at;
  if (age > staleAfterMs) return { tone: "bad", label: `data stale ${formatSampleAge(age)}` };
  const sampled = `sampled ${formatSampleAge(age)} ago`;
  return status === "degraded" ? { tone: "warn", label: `data partial · ${sampled}` } : { tone: "ok", label: `data live · ${sampled}` };
}
