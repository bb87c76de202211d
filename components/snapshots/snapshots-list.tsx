"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useIsOperator } from "@/components/shell/role";
import { useConfirmDelete } from "@/components/ui/confirm-delete";
import { DeleteCell } from "@/components/ui/delete-cell";
import { formatBytes, formatUtc } from "@/lib/format";
import { snapshotPath, type SnapshotSummary } from "@/lib/review/snapshots";
import styles from "./snapshots.module.css";
import { useDeleteSnapshot } from "./use-snapshots";
import { useDisplayZone } from "@/components/ui/display-zone";

export function SnapshotsList({ snapshots }: { snapshots: SnapshotSummary[] }) {
  const zone = useDisplayZone();
  const operator = useIsOperator();
  const router = useRouter();
  const remove = useDeleteSnapshot(() => {
    confirm.close();
    router.refresh();
  });
  const confirm = useConfirmDelete<SnapshotSummary>({
    title: "Delete snapshot?",
    describe: (s) => (
      <>
        <strong>{s.title}</strong> taken {formatUtc(s.created_at, zone)} by {s.created_by}. Its permalink <code>{snapshotPath(s.id)}</code>{" "}
        will stop working.
      </>
    ),
    onConfirm: (s) => remove.mutate(s.id),
    busy: remove.isPending,
    error: remove.error,
    reset: remove.reset,
  });

  return (
    <>
      <div className="table-wrap">
        <table className="data" data-testid="snapshots-table">
          <thead>
            <tr>
              <th>View</th>
              <th>Name</th>
              <th>Permalink</th>
              <th>Live URL</th>
              <th>Created (UTC)</th>
              <th>By</th>
              <th className="num">Size</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {snapshots.length === 0 && (
              <tr>
                <td colSpan={8} className={styles.empty}>
                  No snapshots yet. Press <strong>Freeze</strong> on any view to store exactly what it shows.
                </td>
              </tr>
            )}
            {snapshots.map((s) => (
              <tr key={s.id} data-testid="snapshot-row" data-id={s.id}>
                <td>
                  <Link href={snapshotPath(s.id)}>{s.title}</Link>
                </td>
                <td data-testid="snapshot-name">{s.name ?? <span className="muted">—</span>}</td>
                <td>
                  <Link href={snapshotPath(s.id)} className={styles.url} data-testid="snapshot-permalink">
                    {snapshotPath(s.id)}
                  </Link>
                </td>
                <td>
                  <Link href={s.url} className={styles.url} title={`live view: ${s.url}`}>
                    {s.url}
                  </Link>
                </td>
                <td className="tabular">{formatUtc(s.created_at, zone)}</td>
                <td>{s.created_by}</td>
                <td className="num tabular" title={`${formatBytes(s.json_bytes)} JSON before gzip`}>
                  {formatBytes(s.stored_bytes)}
                </td>
                <DeleteCell canDelete={operator} onDelete={() => confirm.ask(s)} testId="snapshot-delete">
                  <Link href={snapshotPath(s.id)} className="btn">
                    Open
                  </Link>
                </DeleteCell>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {confirm.dialog}
    </>
  );
}
