import { MissingResource } from "@/components/ui/missing-resource";

/** A snapshot permalink whose snapshot is not stored (deleted, or a mistyped id). */
export default function SnapshotNotFound() {
  return (
    <>
      <h1>Snapshot not found</h1>
      <MissingResource
        reason="busdeck stores no snapshot with this id: it was deleted, or the link is mistyped"
        next={{ href: "/snapshots", label: "see the snapshots kept" }}
        testId="snapshot-missing"
      />
    </>
  );
}
