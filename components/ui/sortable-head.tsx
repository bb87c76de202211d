import type { ReactNode } from "react";

/** A column of a table whose header may sort it: `sort` names the sort it asks for, absent for an unsortable one. */
export interface SortableColumn<S extends string> {
  label: ReactNode;
  /** React key and test id: the label when it is text. */
  key?: string;
  sort?: S | null;
  num?: boolean;
  className?: string;
  title?: string;
}

/**
 * A table's header row where a sortable column's header is a button (keyboard reachable) marked ▲/▼ when it is
 * the sort, with aria-sort for screen readers. Each button's test id is `${testIdPrefix}${sort}`.
 */
export function SortableHead<S extends string>({
  columns,
  sort,
  dir,
  onSort,
  testIdPrefix,
}: {
  columns: readonly SortableColumn<S>[];
  sort: S;
  dir: "asc" | "desc";
  onSort: (sort: S) => void;
  testIdPrefix: string;
}) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) => {
          const sorted = c.sort != null && sort === c.sort;
          const className = [c.num ? "num" : "", c.className ?? ""].join(" ").trim() || undefined;
          return (
            <th
              key={c.key ?? (typeof c.label === "string" ? c.label : i)}
              className={className}
              title={c.title}
              aria-sort={sorted ? (dir === "asc" ? "ascending" : "descending") : undefined}
            >
              {c.sort != null ? (
                <button type="button" onClick={() => onSort(c.sort!)} data-testid={`${testIdPrefix}${c.sort}`}>
                  {c.label}
                  {sorted && (
                    <span className="sort-mark" aria-hidden>
                      {dir === "asc" ? "▲" : "▼"}
                    </span>
                  )}
                </button>
              ) : (
                c.label
              )}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
