import type { ReactNode } from "react";
import styles from "./delete-cell.module.css";

/**
 * The last cell of a row an operator may delete: the row's other actions, then Delete, which asks first
 * (`onDelete` opens useConfirmDelete's dialog). Readers see the other actions only.
 */
export function DeleteCell({
  canDelete,
  onDelete,
  busy = false,
  quiet = false,
  testId,
  children,
}: {
  canDelete: boolean;
  onDelete: () => void;
  /** A delete is under way: no second one until it is done. */
  busy?: boolean;
  /** A muted button, for long lists where a red one on every row would shout. */
  quiet?: boolean;
  testId: string;
  children?: ReactNode;
}) {
  return (
    <td className={styles.cell}>
      {children}
      {canDelete && (
        <button
          type="button"
          className={`btn ${quiet ? "btn-ghost" : "btn-danger"}`}
          disabled={busy}
          onClick={onDelete}
          data-testid={testId}
        >
          Delete
        </button>
      )}
    </td>
  );
}
