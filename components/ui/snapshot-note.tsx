import type { SnapshotStatus } from "@/lib/streams";
import { formatUtc } from "@/lib/format";
import { StatusPill } from "./status-pill";

/** One line under a page title: is this data fresh, stale or partial, and why. */
export function SnapshotNote({ status, sampledAt, durationMs, errors }: { status: SnapshotStatus; sampledAt: string | null; durationMs: number | null; errors: { message: string; stream?: string | null }[] }) {
  const tone = status === "ok" ? "ok" : status === "degraded" ? "warn" : "neutral";
  return (
    <span className="muted tabular" data-testid="snapshot-note">
      <StatusPill tone={tone} label={status} /> sampled {formatUtc(sampledAt)}
      {durationMs !== null ? ` in ${durationMs} ms` : ""}
      {errors.length > 0 && <span className="warn-text"> · {errors.map((e) => (e.stream ? `${e.stream}: ${e.message}` : e.message)).join("; ")}</span>}
    </span>
  );
}
