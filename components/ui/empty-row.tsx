import type { ReactNode } from "react";

/** A table's one-line state — empty, loading, not watching — spanning all its columns. */
export function EmptyRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="empty">
        {children}
      </td>
    </tr>
  );
}
