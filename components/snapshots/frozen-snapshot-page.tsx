"use client";
import { FrozenSnapshot } from "./frozen-snapshot";
import { useSnapshotDocument } from "./use-snapshots";

/** /s/<id>: fetches the stored document (gzip on the wire) and renders it frozen. */
export function FrozenSnapshotPage({ id, storedBytes }: { id: string; storedBytes: number }) {
  const doc = useSnapshotDocument(id);
  if (doc.error)
    return (
      <p className="error-text" role="alert">
        Could not load snapshot {id}: {doc.error.message}
      </p>
    );
  if (!doc.data) return <p className="muted">Loading snapshot {id}…</p>;
  return <FrozenSnapshot doc={doc.data} storedBytes={storedBytes} />;
}
