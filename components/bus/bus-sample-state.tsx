import { SnapshotNote } from "@/components/ui/snapshot-note";
import banner from "@/components/ui/warning-banner.module.css";
import type { BusSampleHeader } from "@/lib/bus/servers";
import type { SnapshotStatus } from "@/lib/streams/types";
import styles from "./bus.module.css";

/** A bus snapshot as the sampling note needs it: its header and each server's state. */
type BusSampled = BusSampleHeader & { servers: readonly { state: string }[] };

function statusOf(snap: BusSampled): SnapshotStatus {
  if (snap.samples === 0) return "initializing";
  return snap.sample_error || snap.servers.some((s) => s.state !== "up") ? "degraded" : "ok";
}

/** When the bus was sampled and whether every server answered (shown once a source is configured). */
export function BusSampleNote({ snap }: { snap: BusSampled | null | undefined }) {
  if (!snap?.source) return null;
  return (
    <SnapshotNote
      status={statusOf(snap)}
      sampledAt={snap.sampled_at}
      durationMs={null}
      errors={snap.sample_error ? [{ message: snap.sample_error }] : []}
    />
  );
}

/** What to configure when busdeck has no way to read the bus (`what`: "server", "connection"). */
export function BusConfigureBanner({ snap, what }: { snap: BusSampled | null | undefined; what: string }) {
  if (!snap?.configure) return null;
  return (
    <div className={`${banner.banner} ${styles.configure}`} role="status" data-testid="bus-configure">
      No {what} data: {snap.configure}
    </div>
  );
}
