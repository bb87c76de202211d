import type { SnapshotStatus } from "@/lib/streams/types";
import { formatUtc } from "@/lib/format";
import { snapshotFreshness } from "@/lib/view/freshness";
import { StatusPill } from "./status-pill";
import { useHydrated } from "./use-hydrated";
import { useNow } from "./use-now";
import { useDisplayZone } from "@/components/ui/display-zone";

/** One line under a page title: is this data live, stale or partial, and why. */
export function SnapshotNote({
  status,
  sampledAt,
  durationMs,
  errors,
}: {
  status: SnapshotStatus;
  sampledAt: string | null;
  durationMs: number | null;
  errors: { message: string; stream?: string | null }[];
}) {
  const zone = useDisplayZone();
  const now = useNow();
  // server markup and hydration read the age as of the sample itself, so both render the same text
  const hydrated = useHydrated();
  const freshness = snapshotFreshness(status, sampledAt, hydrated ? now : Date.parse(sampledAt ?? "") || now);
  const title = sampledAt ? `sampled ${formatUtc(sampledAt, zone)}${durationMs !== null ? ` in ${durationMs} ms` : ""}` : undefined;
  return (
    <span className="muted tabular" data-testid="snapshot-note">
      {/* a status, but not a live region: its age changes every second */}
      <span role="status" aria-live="off">
        <StatusPill tone={freshness.tone} label={freshness.label} title={title} testId="snapshot-freshness" sentence />
      </span>
      {errors.length > 0 && (
        <span className="warn-text"> · {errors.map((e) => (e.stream ? `${e.stream}: ${e.message}` : e.message)).join("; ")}</span>
      )}
    </span>
  );
}
