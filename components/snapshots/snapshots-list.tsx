"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { useIsOperator } from "@/components/shell/role";
import { formatBytes, formatUtc } from "@/lib/format";
import { snapshotPath, type SnapshotSummary } from "@/lib/snapshots";
import styles from "./snapshots.module.css";
import { useDeleteSnapshot } from "./use-snapshots";

export function SnapshotsList({ snapshots }: { snapshots: SnapshotSummary[] }) {
  const operator = useIsOperator();
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [pending, setPending] = useState<SnapshotSummary | null>(null);
  const remove = useDeleteSnapshot(() => {
    dialog.current?.close();
    router.refresh();
  });
  const confirmDelete = (s: SnapshotSummary) => {
    remove.reset();
    setPending(s);
    dialog.current?.showModal();
  };

  return (
    <>
      <div className="table-wrap">
        <table className="data" data-testid="snapshots-table">
          <thead>
            <tr>
              <th>View</th>
              <th>URL</th>
              <th>Created (UTC)</th>
              <th>By</th>
              <th className="num">Size</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {snapshots.length === 0 && (
              <tr>
                <td colSpan={6} className={styles.empty}>
                  No snapshots yet. Press <strong>Freeze</strong> on any view to store exactly what it shows.
                </td>
              </tr>
            )}
            {snapshots.map((s) => (
              <tr key={s.id} data-testid="snapshot-row" data-id={s.id}>
                <td>
                  <Link href={snapshotPath(s.id)}>{s.title}</Link>
                </td>
                <td>
                  <Link href={s.url} className={styles.url} title={`live view: ${s.url}`}>
                    {s.url}
                  </Link>
                </td>
                <td className="tabular">{formatUtc(s.created_at)}</td>
                <td>{s.created_by}</td>
                <td className="num tabular" title={`${formatBytes(s.json_bytes)} JSON before gzip`}>
                  {formatBytes(s.stored_bytes)}
                </td>
                <td className={styles.actions}>
                  <Link href={snapshotPath(s.id)} className="btn">
                    Open
                  </Link>
                  {operator && (
                    <button type="button" className={`btn ${styles.danger}`} onClick={() => confirmDelete(s)} data-testid="snapshot-delete">
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dialog ref={dialog} className={styles.dialog} aria-labelledby="delete-snapshot-title" data-testid="delete-dialog">
        <h2 id="delete-snapshot-title">Delete snapshot?</h2>
        <p>
          <strong>{pending?.title}</strong> taken {formatUtc(pending?.created_at)} by {pending?.created_by}. Its permalink{" "}
          <code>{pending && snapshotPath(pending.id)}</code> will stop working. This cannot be undone.
        </p>
        {remove.error && (
          <p className="error-text" role="alert">
            {remove.error.message}
          </p>
        )}
        <div className={styles.dialogButtons}>
          <button type="button" className="btn" onClick={() => dialog.current?.close()} autoFocus>
            Cancel
          </button>
          <button type="button" className={`btn ${styles.danger}`} disabled={remove.isPending} onClick={() => pending && remove.mutate(pending.id)} data-testid="delete-confirm">
            {remove.isPending ? "Deleting…" : "Delete"}
          </button>
        </div>
      </dialog>
    </>
  );
}
